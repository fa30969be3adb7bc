package contract

import (
	"context"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// authTarget is one operation as ignored_auth sends it.
type authTarget struct {
	op     string
	method string
	path   string
	body   any
}

func (a authTarget) read() bool { return a.method == http.MethodGet }

// refusesReaders reports whether the operation takes only
// Directory.ReadWrite.All (or, the doc's, Directory.AccessAsUser.All): a
// valid token without it gets 403. The applications are read with any of
// the directory's read permissions, which a reader token may hold, so
// their reads get no 403 case.
func (a authTarget) refusesReaders() bool {
	for _, p := range graph.OperationPermissions(a.op).Delegated {
		if p != graph.ScopeDirectoryReadWriteAll && p != graph.ScopeDirectoryAccessAsUserAll {
			return false
		}
	}
	return true
}

// authTargets is one request per operation. Reads name the target's
// objects, so that a server that ignored the token would hand them out.
// Writes name objects that do not exist (or, for create, a group of this
// run's, which cleanup deletes), so that a server that ignored the token
// changes nothing: it answers 404 or 400 instead of 401, and fails. The
// application's writes name Target.Application, the only one the run may
// change, with a group that does not exist, but for the removal of its
// assignment, which the cleanup undoes should a server wrongly take it;
// without Target.Application they are not sent.
func (s *session) authTargets() []authTarget {
	c, g := s.target.Connector, s.target.Group
	app := s.target.Application
	readApp := app
	if readApp == "" {
		readApp = noSuchID
	}
	targets := []authTarget{
		{graph.OpAddConnectorDoc, http.MethodPost, graph.DocMembersRefPath(noSuchID), reference(s.reference)},
		{graph.OpListConnectorGroups, http.MethodGet, graph.ConnectorGroupsPath(), nil},
		{graph.OpCreateConnectorGroup, http.MethodPost, graph.ConnectorGroupsPath(), map[string]any{"name": s.runName("auth")}},
		{graph.OpGetConnectorGroup, http.MethodGet, graph.ConnectorGroupPath(g), nil},
		{graph.OpUpdateConnectorGroup, http.MethodPatch, graph.ConnectorGroupPath(noSuchID), map[string]any{"name": s.runName("auth")}},
		{graph.OpDeleteConnectorGroup, http.MethodDelete, graph.ConnectorGroupPath(noSuchID), nil},
		{graph.OpListConnectorGroupMembers, http.MethodGet, graph.MembersPath(g), nil},
		{graph.OpAddConnectorGroupMember, http.MethodPost, graph.MembersRefPath(noSuchID), reference(graph.ConnectorLinkAt(s.base, c))},
		{graph.OpListConnectors, http.MethodGet, graph.ConnectorsPath(), nil},
		{graph.OpGetConnector, http.MethodGet, graph.ConnectorPath(c), nil},
		{graph.OpListConnectorMemberOf, http.MethodGet, graph.MemberOfPath(c), nil},
		{graph.OpAddConnectorMemberOf, http.MethodPost, graph.MemberOfRefPath(c), reference(graph.ConnectorGroupLinkAt(s.base, noSuchID))},
		{graph.OpListApplications, http.MethodGet, graph.ApplicationsPath(), nil},
		{graph.OpGetApplication, http.MethodGet, graph.ApplicationPath(readApp), nil},
		{graph.OpListConnectorGroupApplications, http.MethodGet, graph.GroupApplicationsPath(g), nil},
		{graph.OpGetApplicationConnectorGroup, http.MethodGet, graph.ApplicationConnectorGroupPath(readApp), nil},
	}
	if app == "" {
		return targets
	}
	return append(targets,
		authTarget{graph.OpAddConnectorGroupApplication, http.MethodPost, graph.GroupApplicationsRefPath(noSuchID), reference(graph.ApplicationLinkAt(s.base, app))},
		authTarget{graph.OpSetApplicationConnectorGroup, http.MethodPut, graph.ApplicationConnectorGroupRefPath(app), reference(graph.ConnectorGroupLinkAt(s.base, noSuchID))},
		authTarget{graph.OpRemoveApplicationConnectorGroup, http.MethodDelete, graph.ApplicationConnectorGroupRefPath(app), nil},
	)
}

// checkIgnoredAuth sends each operation's request with broken
// credentials: without a token (the doc's operation also with an empty
// and a junk one), each must get 401; with the reader token, 403. Only the
// reader token is a valid one, so in read-only mode it goes to the reads
// alone.
func checkIgnoredAuth(ctx context.Context, s *session) Result {
	type authCase struct {
		note          string
		authorization string
		want          expectation
		docOnly       bool
	}
	unauthorized := expectation{status: http.StatusUnauthorized, code: graph.CodeInvalidAuthenticationToken}
	cases := []authCase{
		{"no Authorization header", "", unauthorized, false},
		{"an empty Bearer token", "Bearer ", unauthorized, true},
		{"a junk token", "Bearer junk." + uuid.NewString(), unauthorized, true},
	}
	readerSkipped := s.target.ReaderToken == ""
	if !readerSkipped {
		// A 403's code varies across Graph's workloads (this one sent
		// NotAdminRoleNoEnoughCustomPermission_UnauthorizedAccess), so only
		// the status is judged.
		cases = append(cases, authCase{"a token without the scopes", "Bearer " + s.target.ReaderToken, expectation{status: http.StatusForbidden}, false})
	}
	var failures, probed []Evidence
	var alarms []string
	notSent := 0 // refused by the guard for want of a record of what existed
	statuses := map[int]int{}
	ops := map[string]bool{}
	for _, a := range s.authTargets() {
		for _, c := range cases {
			valid := c.authorization != "" && c.authorization == "Bearer "+s.target.ReaderToken
			if (c.docOnly && a.op != graph.OpAddConnectorDoc) || (valid && s.target.ReadOnly && !a.read()) || (valid && !a.refusesReaders()) {
				continue
			}
			if a.op == graph.OpRemoveApplicationConnectorGroup {
				// Its group is read first, so that the cleanup can put it
				// back should a server take the removal without a token.
				if home := s.appHomeOf(ctx, s.target.Application); home.fail != nil {
					failures = append(failures, *home.fail)
					continue
				}
			}
			note := fmt.Sprintf("%s: %s", a.op, c.note)
			p := s.call(note, a.method, a.path, a.body)
			p.authorization = c.authorization
			ex := s.send(ctx, p)
			if unrecorded(ex.Err) {
				notSent++
				continue
			}
			if a.op == graph.OpCreateConnectorGroup {
				if alarm := s.afterCreate(ex); alarm != "" {
					alarms = append(alarms, alarm)
				}
			}
			if a.op == graph.OpRemoveApplicationConnectorGroup {
				s.afterAppChange(s.target.Application, ex)
			}
			statuses[ex.Status]++
			ops[a.op] = true
			e := evidenceOf(ex, note, c.want.String(), nil)
			probed = append(probed, e)
			if miss := c.want.unmet(ex); miss != "" {
				failures = append(failures, failed(e, ex, miss))
			}
		}
	}
	if notSent > 0 {
		failures = append([]Evidence{s.guard.unrecordedFailure(notSent)}, failures...)
	}
	detail := fmt.Sprintf("%d requests with broken credentials to %d operations rejected: %s", len(probed), len(ops), tally(statuses))
	switch {
	case readerSkipped:
		detail += "; the 403 part was skipped: no reader token"
	case s.target.ReadOnly:
		detail += "; read-only: the reader token went to the reads only"
	}
	if s.target.Application == "" && !s.target.ReadOnly {
		detail += "; the application's writes were not sent: no -application"
	}
	return alarmed(verdict(failures, probed, detail), alarms...)
}
