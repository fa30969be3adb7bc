// Package specvalidator is the spec and its validation: it loads
// openapi/connectorgroups.yaml once, validates it (examples included), and
// checks requests and responses against it with kin-openapi's
// openapi3filter.
//
// It sits below the reference server (fakegraph), the contract suite
// (contract) and the HAR check (internal/harcheck), which all validate
// traffic against the same document, so that none has to import another.
// What it exports is what they share:
//
//   - Route, ValidateRequest and ValidateResponse judge an exchange as a
//     client sees it, at any base URL (the contract suite, the HAR check);
//   - OperationRoute, ValidateRoutedRequest and ValidateRoutedResponse judge
//     one a server has routed itself (the fake), and ValidateRoutedRequest
//     leaves the body's value on the request for the generated strict
//     handler's binding;
//   - DecodeJSON is the one reading of a JSON body, registered as
//     openapi3filter's JSON decoder; DuplicateKeyError, IsUnsupportedMediaType
//     and EachError let the fake word a rejection as Graph does;
//   - Violation and Violations flatten kin-openapi's errors into one line
//     per problem, for reports.
package specvalidator
