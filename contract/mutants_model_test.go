package contract_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The model mutants: each breaks one of Graph's rules for today's surface
// on the wire, around the fake. Those that must know what the fake did
// read its state API, or ask the fake itself over its handler, and keep a
// shadow of what a faulty server would have done.

// mutantValidator routes the mutants' requests to operations.
var mutantValidator = sync.OnceValue(func() *contract.Validator {
	v, err := contract.NewValidator()
	if err != nil {
		panic(err)
	}
	return v
})

func opOf(r *http.Request) string { return mutantValidator().OperationID(r) }

// idAfter is the path segment after the collection named, unescaped:
// the group of connectorGroups/{id}/..., the connector of connectors/{id}.
func idAfter(r *http.Request, collection string) string {
	segs := strings.Split(r.URL.Path, "/")
	if i := slices.Index(segs, collection); i >= 0 && i+1 < len(segs) {
		return segs[i+1]
	}
	return ""
}

func withDevToken(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+devToken }

// fetch GETs target (a path, or a URL on this server) from the wrapped
// server with r's credentials, as the mutant's own look-up.
func fetch(next http.Handler, r *http.Request, target string) (int, []byte) {
	u, err := url.Parse(target)
	if err != nil {
		return 0, nil
	}
	req := r.Clone(r.Context())
	req.Method, req.RequestURI, req.Body, req.ContentLength = http.MethodGet, "", http.NoBody, 0
	req.URL = &url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery}
	req.Header.Del("Content-Type")
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// fetchEntity is fetch of one entity at path under /beta, decoded.
func fetchEntity(next http.Handler, r *http.Request, path string) (map[string]any, bool) {
	status, body := fetch(next, r, "/"+graph.Beta+path)
	var m map[string]any
	if status != http.StatusOK || json.Unmarshal(body, &m) != nil {
		return nil, false
	}
	delete(m, "@odata.context")
	return m, true
}

// groupOfAll maps each connector to its group, from the fake's state.
func groupOfAll(fake *fakegraph.Server) map[string]string {
	out := map[string]string{}
	for _, g := range fake.Snapshot().Groups {
		for _, c := range g.Members {
			out[c] = g.ID
		}
	}
	return out
}

// trackMoves calls moved for each connector a write request moved.
func trackMoves(fake *fakegraph.Server, moved func(connector, from, to string)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				next.ServeHTTP(w, r)
				return
			}
			before := groupOfAll(fake)
			next.ServeHTTP(w, r)
			for c, to := range groupOfAll(fake) {
				if from := before[c]; from != "" && from != to {
					moved(c, from, to)
				}
			}
		})
	}
}

// copyNotMove adds the way a server that copies does: after a move, the
// group the connector left still lists it among its members (on its last
// page).
func copyNotMove(fake *fakegraph.Server) func(http.Handler) http.Handler {
	var mu sync.Mutex
	kept := map[string]map[string]bool{} // group → connectors it still lists
	return func(next http.Handler) http.Handler {
		tracked := trackMoves(fake, func(c, from, to string) {
			mu.Lock()
			defer mu.Unlock()
			if kept[from] == nil {
				kept[from] = map[string]bool{}
			}
			kept[from][c] = true
			delete(kept[to], c)
		})(next)
		return rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if opOf(r) != graph.OpListConnectorGroupMembers || rec.Code != http.StatusOK {
				return
			}
			mu.Lock()
			extra := kept[idAfter(r, "connectorGroups")]
			var ids []string
			for c := range extra {
				ids = append(ids, c)
			}
			mu.Unlock()
			editJSON(func(m map[string]any) {
				value, _ := m["value"].([]any)
				if _, more := m["@odata.nextLink"]; more {
					return
				}
				for _, c := range ids {
					if connector, ok := fetchEntity(next, r, graph.ConnectorPath(c)); ok {
						value = append(value, connector)
					}
				}
				m["value"] = value
			})(rec)
		})(tracked)
	}
}

// memberOfNamesOldGroup answers a moved connector's memberOf with the
// group it left.
func memberOfNamesOldGroup(fake *fakegraph.Server) func(http.Handler) http.Handler {
	var mu sync.Mutex
	left := map[string]string{} // connector → the group it last left
	return func(next http.Handler) http.Handler {
		tracked := trackMoves(fake, func(c, from, _ string) {
			mu.Lock()
			left[c] = from
			mu.Unlock()
		})(next)
		return rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if opOf(r) != graph.OpListConnectorMemberOf || rec.Code != http.StatusOK {
				return
			}
			mu.Lock()
			old, ok := left[idAfter(r, "connectors")]
			mu.Unlock()
			if !ok {
				return
			}
			if group, ok := fetchEntity(next, r, graph.ConnectorGroupPath(old)); ok {
				editJSON(func(m map[string]any) { m["value"] = []any{group} })(rec)
			}
		})(tracked)
	}
}

// nextLinkRepeats serves every page that has a nextLink twice: its
// nextLink leads to the same page again (marked, so the mutant knows it),
// whose nextLink goes on. Each page keeps within $top; items repeat, none
// drops.
func nextLinkRepeats() func(http.Handler) http.Handler {
	const again = "again"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			repeat := q.Has(again)
			if repeat { // the fake never sees the mark
				q.Del(again)
				r.URL.RawQuery = q.Encode()
				r.RequestURI = r.URL.RequestURI()
			}
			rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
				if repeat || r.Method != http.MethodGet || rec.Code != http.StatusOK {
					return
				}
				editJSON(func(m map[string]any) {
					if _, ok := m["@odata.nextLink"].(string); ok {
						u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
						q := u.Query()
						q.Set(again, "1")
						u.RawQuery = q.Encode()
						m["@odata.nextLink"] = u.String()
					}
				})(rec)
			})(next).ServeHTTP(w, r)
		})
	}
}

// nextLinkDrops makes each nextLink skip a page: it points at the page
// after the next, or is left off when the next is the last.
func nextLinkDrops() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if r.Method != http.MethodGet || rec.Code != http.StatusOK {
				return
			}
			editJSON(func(m map[string]any) {
				link, ok := m["@odata.nextLink"].(string)
				if !ok {
					return
				}
				_, body := fetch(next, r, link)
				var skipped struct {
					NextLink string `json:"@odata.nextLink"`
				}
				_ = json.Unmarshal(body, &skipped)
				if skipped.NextLink == "" {
					delete(m, "@odata.nextLink")
				} else {
					m["@odata.nextLink"] = skipped.NextLink
				}
			})(rec)
		})(next)
	}
}

// deleteLeavesGroup answers a delete the fake would grant 204, but keeps
// the group.
func deleteLeavesGroup(fake *fakegraph.Server) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if opOf(r) == graph.OpDeleteConnectorGroup && withDevToken(r) {
				if g, err := fake.Group(idAfter(r, "connectorGroups")); err == nil && !g.IsDefault && len(g.Members) == 0 {
					writeNoContent(w, r)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// deleteTakesNonEmpty deletes a group that holds connectors, moving them
// to the default group first.
func deleteTakesNonEmpty(fake *fakegraph.Server) func(http.Handler) http.Handler {
	return onRequest(func(r *http.Request) {
		if opOf(r) != graph.OpDeleteConnectorGroup || !withDevToken(r) {
			return
		}
		g, err := fake.Group(idAfter(r, "connectorGroups"))
		if err != nil || g.IsDefault {
			return
		}
		for _, d := range fake.Groups() {
			if d.IsDefault {
				for _, c := range g.Members {
					_, _ = fake.MoveConnector(d.ID, c)
				}
			}
		}
	})
}

// writeNoContent answers 204 with Graph's correlation headers.
func writeNoContent(w http.ResponseWriter, r *http.Request) {
	id := uuid.NewString()
	client := r.Header.Get(graph.HeaderClientRequestID)
	if client == "" {
		client = id
	}
	w.Header().Set(graph.HeaderRequestID, id)
	w.Header().Set(graph.HeaderClientRequestID, client)
	w.WriteHeader(http.StatusNoContent)
}

// okWithBody turns op's 204 into a 200 with body's JSON.
func okWithBody(op string, body func(next http.Handler, r *http.Request, reqBody []byte) any) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return rewrite(func(r *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) {
			if opOf(r) == op && rec.Code == http.StatusNoContent {
				rec.Code = http.StatusOK
				setJSON(rec, body(next, r, reqBody))
			}
		})(next)
	}
}

// linkedGroup is the group a memberOf/$ref body links to, as the server
// reads it.
func linkedGroup(next http.Handler, r *http.Request, reqBody []byte) any {
	ref, _ := odataID(reqBody).(string)
	id, _ := graph.ParseConnectorGroupLink(ref)
	g, _ := fetchEntity(next, r, graph.ConnectorGroupPath(id))
	return g
}

// updateIgnored answers a valid PATCH 204, changing nothing.
func updateIgnored(fake *fakegraph.Server) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if opOf(r) == graph.OpUpdateConnectorGroup && withDevToken(r) {
				// Only what the fake would take: a valid body for a group
				// that exists.
				_, err := fake.Group(idAfter(r, "connectorGroups"))
				if err == nil && len(mutantValidator().ValidateRequest(r.Context(), r)) == 0 {
					writeNoContent(w, r)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// acceptsProperty strips a property the spec refuses from op's bodies
// before the fake sees them, as a server that ignores it would.
func acceptsProperty(op, property string) func(http.Handler) http.Handler {
	return onRequest(func(r *http.Request) {
		if opOf(r) != op {
			return
		}
		body, _ := io.ReadAll(r.Body)
		var m map[string]any
		if json.Unmarshal(body, &m) == nil && m[property] != nil {
			delete(m, property)
			body, _ = json.Marshal(m)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	})
}

// refusesSystemSet answers a create or an update whose body sends
// isDefault or connectorGroupType 400, as a property the system sets,
// before the fake sees it: what the fake answered before it followed the
// live service.
func refusesSystemSet() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if op := opOf(r); op == graph.OpCreateConnectorGroup || op == graph.OpUpdateConnectorGroup {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				var m map[string]any
				if json.Unmarshal(body, &m) == nil {
					for _, p := range []string{"isDefault", "connectorGroupType"} {
						if _, sent := m[p]; sent {
							writeBadRequest(w, r, "The property '"+p+"' is set by the system and cannot be written.")
							return
						}
					}
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// updateAnswersStaleGroup answers an update the fake took with 200 and the
// group as it was before the update, where the doc page's 200 carries it
// as it is now.
func updateAnswersStaleGroup() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if opOf(r) != graph.OpUpdateConnectorGroup {
				next.ServeHTTP(w, r)
				return
			}
			stale, ok := fetchEntity(next, r, graph.ConnectorGroupPath(idAfter(r, "connectorGroups")))
			rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
				if ok && rec.Code == http.StatusNoContent {
					rec.Code = http.StatusOK
					setJSON(rec, stale)
				}
			})(next).ServeHTTP(w, r)
		})
	}
}

// dropsUnpublishedRegionByID answers a group read by id with region null
// when its region is not in the published enum, as a server whose typed
// model knows only the published values would on that path (the official
// Go SDK reads "japan" as no region), while its lists say "japan".
func dropsUnpublishedRegionByID() func(http.Handler) http.Handler {
	published := map[string]bool{"nam": true, "eur": true, "aus": true, "asia": true, "ind": true, "unknownFutureValue": true}
	return rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if opOf(r) != graph.OpGetConnectorGroup || rec.Code != http.StatusOK {
			return
		}
		editJSON(func(m map[string]any) {
			if region, ok := m["region"].(string); ok && !published[region] {
				m["region"] = nil
			}
		})(rec)
	})
}

// regionAsANumber answers every group's region as a number, which the
// response schema's string does not take.
func regionAsANumber() func(http.Handler) http.Handler {
	return rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if rec.Code/100 != 2 {
			return
		}
		editJSON(func(m map[string]any) {
			number := func(g map[string]any) {
				if _, ok := g["region"]; ok {
					g["region"] = 81
				}
			}
			number(m)
			if value, ok := m["value"].([]any); ok {
				for _, item := range value {
					if g, ok := item.(map[string]any); ok {
						number(g)
					}
				}
			}
		})(rec)
	})
}

// writeBadRequest answers 400 in Graph's error format, with its
// correlation headers.
func writeBadRequest(w http.ResponseWriter, r *http.Request, message string) {
	id := uuid.NewString()
	client := r.Header.Get(graph.HeaderClientRequestID)
	if client == "" {
		client = id
	}
	w.Header().Set(graph.HeaderRequestID, id)
	w.Header().Set(graph.HeaderClientRequestID, client)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": "BadRequest", "message": message}})
	_, _ = w.Write(body)
}
