// Package specvalidator loads openapi/connectorgroups.yaml once, validates it
// (examples included), and checks requests and responses against it with
// kin-openapi's openapi3filter.
//
// It sits below the reference server (fakegraph) and the contract suite
// (contract), which both validate traffic against the same document, so that
// neither has to import the other.
package specvalidator
