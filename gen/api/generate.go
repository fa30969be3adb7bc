// Package api holds the types, client and strict net/http server that
// oapi-codegen generates from openapi/connectorgroups.yaml.
package api

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config config.yaml ../../openapi/connectorgroups.yaml
