// Package spec embeds openapi/connectorgroups.yaml so that validators load
// the same document the code was generated from.
package spec

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config config.yaml ../../openapi/connectorgroups.yaml
