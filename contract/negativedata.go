package contract

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// bodyTarget is one write operation whose request bodies
// negative_data_rejection breaks: where it is sent, a body that passes the
// spec, and the cases that the schema alone cannot generate.
type bodyTarget struct {
	op, method, path string
	valid            map[string]any
	extra            []negativeCase
	moves            bool   // a body it wrongly accepted could move the connector
	creates          bool   // ... could create a group
	assigns          string // ... could change this application's group
	// huge sends the huge body too. A body limit is the service's, the
	// same for every operation (Graph's is 1 MiB), so one operation is
	// asked, and each run moves 1 MiB once instead of five times.
	huge bool
}

// bodyTargets are the writes with a body: the doc's $ref add, today's,
// memberOf/$ref, create, and update of group (the run's own, so that a
// body wrongly accepted changes nothing else), and with
// Target.Application its two links. Adds go to Group and name Connector
// or Application, so that the cleanup can undo one a broken server
// accepted. A group's body carries "isDefault": false, which the service
// accepts and ignores, so that values of the wrong type are sent for it
// too: Graph reads the body as a connectorGroup, whose isDefault is a
// non-nullable Edm.Boolean.
func bodyTargets(base string, t Target, group, name, region string) []bodyTarget {
	c, g := t.Connector, t.Group
	groupBody := map[string]any{"name": name, "region": region, "isDefault": false}
	targets := []bodyTarget{
		{op: graph.OpAddConnectorDoc, method: http.MethodPost, path: graph.DocMembersRefPath(g), moves: true, huge: true,
			valid: map[string]any{"@odata.id": graph.DocConnectorLink(graph.VersionOfBaseURL(base), c)},
			extra: []negativeCase{wrongKind("a group, not a connector", graph.ConnectorGroupLinkAt(base, g))}},
		{op: graph.OpAddConnectorGroupMember, method: http.MethodPost, path: graph.MembersRefPath(g), moves: true,
			valid: map[string]any{"@odata.id": graph.ConnectorLinkAt(base, c)},
			extra: []negativeCase{wrongKind("a group, not a connector", graph.ConnectorGroupLinkAt(base, g))}},
		{op: graph.OpAddConnectorMemberOf, method: http.MethodPost, path: graph.MemberOfRefPath(c), moves: true,
			valid: map[string]any{"@odata.id": graph.ConnectorGroupLinkAt(base, g)},
			extra: []negativeCase{wrongKind("a connector, not a group", graph.ConnectorLinkAt(base, c))}},
		{op: graph.OpCreateConnectorGroup, method: http.MethodPost, path: graph.ConnectorGroupsPath(), creates: true, valid: groupBody},
		{op: graph.OpUpdateConnectorGroup, method: http.MethodPatch, path: graph.ConnectorGroupPath(group), valid: groupBody},
	}
	if app := t.Application; app != "" {
		targets = append(targets,
			bodyTarget{op: graph.OpAddConnectorGroupApplication, method: http.MethodPost, path: graph.GroupApplicationsRefPath(g), assigns: app,
				valid: map[string]any{"@odata.id": graph.ApplicationLinkAt(base, app)},
				extra: []negativeCase{wrongKind("a group, not an application", graph.ConnectorGroupLinkAt(base, g))}},
			bodyTarget{op: graph.OpSetApplicationConnectorGroup, method: http.MethodPut, path: graph.ApplicationConnectorGroupRefPath(app), assigns: app,
				valid: map[string]any{"@odata.id": graph.ConnectorGroupLinkAt(base, g)},
				extra: []negativeCase{wrongKind("an application, not a group", graph.ApplicationLinkAt(base, app))}},
		)
	}
	return targets
}

// casesFor generates bt's negative bodies from the spec: the schema's, bt's
// extra ones, and for a body that may not carry the properties the system
// sets, one each (from the schema of the operation's success body).
func (v *Validator) casesFor(base string, bt bodyTarget) ([]negativeCase, error) {
	req, err := http.NewRequest(bt.method, base+bt.path, nil)
	if err != nil {
		return nil, err
	}
	schema, err := v.requestBodySchema(req)
	if err != nil {
		return nil, err
	}
	cases := negativeCases(schema, bt.valid)
	if !bt.huge {
		cases = slices.DeleteFunc(cases, func(c negativeCase) bool { return c.huge })
	}
	cases = append(cases, bt.extra...)
	if has := schema.AdditionalProperties.Has; has != nil && !*has {
		if entity := v.successSchema(req); entity != nil {
			cases = append(cases, systemSetCases(entity, schema, bt.valid)...)
		}
	}
	return cases, nil
}

// successSchema is the JSON schema of the first 2xx response of req's
// operation that has one: the entity a create or update answers with.
func (v *Validator) successSchema(req *http.Request) *openapi3.Schema {
	for _, status := range []int{http.StatusOK, http.StatusCreated} {
		if r := v.declaredResponse(req, status); r != nil {
			if mt := r.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
				return mt.Schema.Value
			}
		}
	}
	return nil
}

// checkNegativeData sends each generated body with a valid token; each
// must get a status that rejects that body (400, or 413 or 415 for the
// huge and text/plain ones). Any other 4xx is no verdict on the body. A
// write that could move the connector is sent only once cleanup can move
// it back; update's bodies go to the run's own group.
func checkNegativeData(ctx context.Context, s *session) Result {
	var failures, probed []Evidence
	var exchanges []Exchange
	var alarms []string
	notSent := 0 // refused by the guard for want of a record of what existed
	statuses := map[int]int{}
	sent, ops := 0, 0
	for _, bt := range s.bodyTargets(ctx) {
		if bt.blocked != nil {
			failures = append(failures, *bt.blocked)
			continue
		}
		cases, err := s.validator.casesFor(s.base, bt.bodyTarget)
		if err != nil {
			return skip(fmt.Sprintf("cannot generate bodies for %s: %v", bt.op, err))
		}
		ops++
		for _, c := range cases {
			note := bt.op + ": " + c.name
			p := s.call(note, bt.method, bt.path, nil)
			p.contentType, p.body = c.contentType, c.body
			ex := s.send(ctx, p)
			if unrecorded(ex.Err) {
				notSent++
				continue
			}
			if bt.creates {
				if alarm := s.afterCreate(ex); alarm != "" {
					alarms = append(alarms, alarm)
				}
			}
			sent++
			exchanges = append(exchanges, ex)
			e := evidenceOf(ex, note, c.want(), nil)
			probed = append(probed, e)
			statuses[ex.Status]++
			if ex.Err != nil || !slices.Contains(c.rejectedBy, ex.Status) {
				e.Violations = ex.ResponseViolations()
				failures = append(failures, e)
			}
		}
	}
	if notSent > 0 {
		e := s.guard.unrecordedFailure(notSent)
		if failed := s.guard.lastFailed; len(exchanges) == 0 && failed.Err == nil && failed.Status == http.StatusUnauthorized {
			code, message := graphError(failed.ResponseBody)
			return Result{Status: StatusFail, Evidence: []Evidence{e}, Detail: fmt.Sprintf(
				"the token was rejected: the list of the groups, read before the first write, got 401 %s %q, so none of the %d bodies was sent; pass a valid token with Directory.ReadWrite.All (-token or $GRAPH_TOKEN)",
				code, graph.OneLine(message, 120), notSent)}
		}
		failures = append([]Evidence{e}, failures...)
	}
	if res, rejected := tokenRejected(exchanges, probed); rejected {
		return res
	}
	return alarmed(verdict(failures, probed, fmt.Sprintf("%d bodies to %d operations rejected: %s (%s)", sent, ops, tally(statuses), acceptedStatuses)), alarms...)
}

// readyTarget is a bodyTarget with why it cannot be sent, if it cannot.
type readyTarget struct {
	bodyTarget
	blocked *Evidence
}

// bodyTargets prepares the targets for this run: the moves behind
// beforeMove, update on the run's group.
func (s *session) bodyTargets(ctx context.Context) []readyTarget {
	made := s.scratch(ctx)
	var out []readyTarget
	for _, bt := range bodyTargets(s.base, s.target, made.id, s.runName("negative"), s.region("")) {
		r := readyTarget{bodyTarget: bt}
		switch {
		case bt.moves:
			r.blocked = s.beforeMove(ctx)
		case bt.assigns != "":
			r.blocked = s.beforeAppChange(ctx, bt.assigns)
		case bt.op == graph.OpUpdateConnectorGroup && made.fail != nil:
			e := *made.fail
			e.Note += "; so " + bt.op + "'s bodies are not sent: there is no group of this run's to send them to"
			r.blocked = &e
		}
		out = append(out, r)
	}
	return out
}
