package graph

import "strings"

// Graph's error codes, as documented or seen on the wire for this
// operation's kind of request. Match statuses, not codes, where a code
// varies across workloads (a 403 in particular).
const (
	CodeBadRequest                 = "BadRequest"
	CodeRequestBadRequest          = "Request_BadRequest"
	CodeResourceNotFound           = "Request_ResourceNotFound"
	CodeInvalidAuthenticationToken = "InvalidAuthenticationToken"
	CodeAuthorizationRequestDenied = "Authorization_RequestDenied"
	CodeTooManyRequests            = "TooManyRequests"
	CodeServiceNotAvailable        = "serviceNotAvailable"
	CodeInternalServerError        = "InternalServerError"
)

// Graph's messages, verbatim. Those with %s take an id or a segment.
const (
	// MsgAlreadyMember answers a $ref add of an existing member: 400
	// Request_BadRequest [seen for 'owners', pnpframework #139; inferred
	// for this workload's 'members'].
	MsgAlreadyMember = "One or more added object references already exist for the following modified properties: 'members'."
	// MsgResourceNotFound: 404 Request_ResourceNotFound [seen].
	MsgResourceNotFound = "Resource '%s' does not exist or one of its queried reference-property objects are not present."
	// MsgInvalidURL: 400 BadRequest for an @odata.id that is no link [seen].
	MsgInvalidURL = "Invalid URL format specified in payload."
	// MsgTokenEmpty: 401 InvalidAuthenticationToken [seen].
	MsgTokenEmpty = "Access token is empty."
	// MsgInsufficientPrivileges: 403 Authorization_RequestDenied [seen].
	MsgInsufficientPrivileges = "Insufficient privileges to complete the operation."
	// MsgSegmentNotFound: 400 BadRequest for a path segment Graph cannot
	// resolve, v1.0's connectorGroups included [seen, microsoft-graph-docs
	// #4052 and #21648].
	MsgSegmentNotFound = "Resource not found for the segment '%s'."

	// MsgInvalidPageSize: 400 Request_UnsupportedQuery for a $top outside
	// 1..999 on directory lists [seen for /groups, quoted in
	// turbot/steampipe-plugin-microsoft365's table microsoft365_team;
	// inferred for connector groups].
	MsgInvalidPageSize = "Invalid page size specified: '%s'. Must be between 1 and 999 inclusive."
)

// MsgUnsupportedQueryOption answers an OData system query option that the
// request's operation does not take, such as $filter on a connector list:
// 400 Request_UnsupportedQuery [inferred: Graph refuses what it cannot
// serve; this workload's wording is not known].
const MsgUnsupportedQueryOption = "The query option '%s' is not supported for this request."

// CodeUnsupportedQuery is the directory workload's code for a query option
// it cannot serve, such as a $top outside 1..999 [seen].
const CodeUnsupportedQuery = "Request_UnsupportedQuery"

// The lifecycle's refusals. Graph's pages state the rules (a group must be
// empty to be deleted; region can change only while the group is empty;
// the default group always exists) but not the answers' wording: these
// messages are inferred, with 400 Request_BadRequest as the directory
// workload answers a request its rules refuse.
const (
	MsgGroupNotEmpty    = "The connector group '%s' still has connectors assigned; move them to another group before deleting it."
	MsgDefaultGroup     = "The connector group '%s' is the default group, which cannot be deleted."
	MsgRegionLocked     = "The region of connector group '%s' cannot change while it has connectors assigned."
	MsgInvalidSkipToken = "The $skiptoken value is not valid; take it from @odata.nextLink."
	MsgReadOnlyProperty = "The property '%s' is set by the system and cannot be written."

	// The same two rules for a group that holds applications but no
	// connectors: the region cannot change while it has applications
	// [doc: connectorGroup resource], and Graph refuses to delete a
	// group that is not empty, so one that holds applications is refused
	// the same way [inferred: the pages name connectors only].
	MsgGroupHasApplications     = "The connector group '%s' still has applications assigned; assign them to another group before deleting it."
	MsgRegionLockedApplications = "The region of connector group '%s' cannot change while it has applications assigned."
)

// CodeApplicationNotFound and MsgPublishingNotEnabled answer an
// assignment of an application whose on-premises publishing is off:
// "Application_NotFound: OnPremisesPublishing is not enabled" [seen,
// terraform-provider-microsoft365 PR #3213; the status was not shown, and
// 404 is what Graph sends with a NotFound code: inferred].
const (
	CodeApplicationNotFound = "Application_NotFound"
	MsgPublishingNotEnabled = "OnPremisesPublishing is not enabled"
)

// MsgAlreadyAssigned answers a $ref add of an application to the group it
// is in already: MsgAlreadyMember's wording for the 'applications'
// property [inferred, as for 'members'].
const MsgAlreadyAssigned = "One or more added object references already exist for the following modified properties: 'applications'."

// MsgUnknownProperty answers a body with a property its type does not
// have: 400 BadRequest, OData's wording [seen for microsoft.graph.message,
// attachment and contact in public code; inferred for connectorGroup].
const MsgUnknownProperty = "The property '%s' does not exist on type 'microsoft.graph.connectorGroup'. Make sure to only use property names that are defined by the type or mark the type as open type."

// MsgBodyTimeout answers a request whose body did not arrive whole within
// the server's read timeout (a trickled body): 400 BadRequest [inferred:
// Graph documents no 408, and a body cut short is a request it cannot
// read; the wording is the fake's]. It says what happened, so that the
// caller does not hunt for a JSON mistake that is not there.
const MsgBodyTimeout = "The request body did not arrive within the server's time limit, so it was not read; send the whole body without pausing."

// alreadyExistMarker is the part of MsgAlreadyMember that every workload's
// duplicate-reference message shares.
const alreadyExistMarker = "already exist"

// IsAlreadyExists reports whether a 400's message is Graph's answer to
// adding a reference that exists already. The code is not compared: it
// varies across workloads, and the message is what they share.
func IsAlreadyExists(status int, message string) bool {
	return status == 400 && strings.Contains(strings.ToLower(message), alreadyExistMarker)
}

// IsPublishingNotEnabled reports whether an answer is Graph's refusal of
// an application whose on-premises publishing is off: a 404 whose message
// says "OnPremisesPublishing is not enabled" [seen]. The code
// (Application_NotFound) is not compared, as codes vary across workloads.
func IsPublishingNotEnabled(status int, message string) bool {
	return status == 404 && strings.Contains(strings.ToLower(message), strings.ToLower(MsgPublishingNotEnabled))
}
