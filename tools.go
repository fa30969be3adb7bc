//go:build tools

// Package tools pins the code generator so that `go run` builds it from
// go.mod; no globally installed binary is ever needed.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
