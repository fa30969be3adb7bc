package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

func ExampleClient_AddConnector() {
	// The reference server stands in for https://graph.microsoft.com.
	graph := startGraph(nil)
	defer graph.Close()

	c, err := client.NewClient(
		client.WithBaseURL(graph.URL+"/beta"),
		client.WithHTTPClient(graph.Client()),
		client.WithTokenSource(client.StaticToken("dev-token")),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	// Connector 01 is in the default group; adding it to North America
	// moves it there. Today's service answers 204: only the id comes back.
	conn, err := c.AddConnector(ctx,
		"4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", // the connector group
		"d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30", // the connector
	)
	if err != nil {
		log.Fatal(err)
	}
	group, err := c.GetConnectorGroupOf(ctx, conn.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn.ID, "is in", group.Name)
	// Output: d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30 is in North America
}

// WithDocPath sends the doc page's request, which the reference server
// answers as the page does: 201 with the connector.
func ExampleWithDocPath() {
	graph := startGraph(nil)
	defer graph.Close()

	c, err := client.NewClient(
		client.WithBaseURL(graph.URL+"/beta"),
		client.WithHTTPClient(graph.Client()),
		client.WithTokenSource(client.StaticToken("dev-token")),
		client.WithDocPath(),
	)
	if err != nil {
		log.Fatal(err)
	}
	conn, err := c.AddConnector(context.Background(), "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn.MachineName, conn.ExternalIP, conn.Status)
	// Output: CONNECTOR-01.contoso.com 203.0.113.10 active
}

// A group's life: create it, move a connector in, list its members, move
// the connector back (a group must be empty to be deleted), delete it.
func Example_lifecycle() {
	graph := startGraph(nil)
	defer graph.Close()

	c, err := client.NewClient(
		client.WithBaseURL(graph.URL+"/beta"),
		client.WithHTTPClient(graph.Client()),
		client.WithTokenSource(client.StaticToken("dev-token")),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	const connector = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"

	group, err := c.CreateConnectorGroup(ctx, client.NewConnectorGroup{Name: "Asia", Region: client.RegionAsia})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("created %q in region %s\n", group.Name, group.Region)

	before, err := c.GetConnectorGroupOf(ctx, connector)
	if err != nil {
		log.Fatal(err)
	}
	if err := c.AddConnectorViaMemberOf(ctx, group.ID, connector); err != nil {
		log.Fatal(err)
	}
	members, err := c.ListMembers(ctx, group.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range members {
		fmt.Printf("member %s (%s)\n", m.MachineName, m.Status)
	}

	var refused *client.Error
	if err := c.DeleteConnectorGroup(ctx, group.ID); errors.As(err, &refused) {
		fmt.Println("not deleted while it holds a connector:", refused.StatusCode)
	}
	if err := c.AddConnectorViaMemberOf(ctx, before.ID, connector); err != nil {
		log.Fatal(err)
	}
	if err := c.DeleteConnectorGroup(ctx, group.ID); err != nil {
		log.Fatal(err)
	}
	groups, err := c.ListConnectorGroups(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range groups {
		fmt.Printf("%s default=%v\n", g.Name, g.IsDefault)
	}
	// Output:
	// created "Asia" in region asia
	// member CONNECTOR-01.contoso.com (active)
	// not deleted while it holds a connector: 400
	// Default default=true
	// North America default=false
	// Europe default=false
}

// Today's Graph answers 204 No Content: the call succeeds and the
// Connector carries only the id that was added.
func ExampleClient_AddConnector_noContent() {
	graph := startGraph(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
		w.Header().Set("client-request-id", r.Header.Get("client-request-id"))
		w.WriteHeader(http.StatusNoContent)
	}))
	defer graph.Close()

	c, err := client.NewClient(
		client.WithBaseURL(graph.URL+"/beta"),
		client.WithHTTPClient(graph.Client()),
		client.WithTokenSource(client.StaticToken("dev-token")),
	)
	if err != nil {
		log.Fatal(err)
	}
	conn, err := c.AddConnector(context.Background(), "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("id %s, machine name %q\n", conn.ID, conn.MachineName)
	// Output: id d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30, machine name ""
}

// Sentinels answer "what happened"; *Error carries what support needs.
func ExampleError() {
	graph := startGraph(nil)
	defer graph.Close()
	c, err := client.NewClient(
		client.WithBaseURL(graph.URL+"/beta"),
		client.WithHTTPClient(graph.Client()),
		client.WithTokenSource(client.StaticToken("dev-token")),
	)
	if err != nil {
		log.Fatal(err)
	}

	// This connector is already in the Europe group.
	_, err = c.AddConnector(context.Background(), "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316", "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64")
	switch {
	case errors.Is(err, client.ErrAlreadyMember):
		fmt.Println("already a member: nothing to do")
	case errors.Is(err, client.ErrNotFound):
		fmt.Println("no such group or connector")
	case err != nil:
		log.Fatal(err)
	}
	var ge *client.Error
	if errors.As(err, &ge) {
		fmt.Println(ge.StatusCode, ge.Code, ge.RequestID != "")
	}
	// Output:
	// already a member: nothing to do
	// 400 Request_BadRequest true
}

// Retries are on by default; a policy bounds them, and the context bounds
// the whole call, waits included. Here Graph throttles the first attempt,
// asking for no wait, and the retry adds the connector.
func ExampleWithRetry() {
	fake, err := fakegraph.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	var attempts atomic.Int32
	graph := startGraph(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if attempts.Add(1) > 1 {
			fake.ServeHTTP(w, r)
			return
		}
		fmt.Println("attempt 1: 429, Retry-After: 0")
		w.Header().Set("Retry-After", "0")
		w.Header().Set("request-id", "2c7f4b93-1d6e-4a08-9f35-b8e0d2a6c417")
		w.Header().Set("client-request-id", r.Header.Get("client-request-id"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"code":"TooManyRequests","message":"Too many requests."}}`)
	}))
	defer graph.Close()

	c, err := client.NewClient(
		client.WithBaseURL(graph.URL+"/beta"),
		client.WithHTTPClient(graph.Client()),
		client.WithTokenSource(client.StaticToken("dev-token")),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 6, MaxRetryAfter: 2 * time.Minute}),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := c.AddConnector(ctx, "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("attempt %d: added %s\n", attempts.Load(), conn.ID)
	// Output:
	// attempt 1: 429, Retry-After: 0
	// attempt 2: added d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30
}

// Any credential plugs in through TokenFunc; see docs/client.md for
// Azure's azidentity. The client asks for a token before every attempt, so the
// credential can refresh it.
func ExampleTokenFunc() {
	graph := startGraph(nil)
	defer graph.Close()

	asked := 0
	tokens := client.TokenFunc(func(ctx context.Context) (string, error) {
		asked++
		return fetchToken(ctx, "https://graph.microsoft.com/.default")
	})
	c, err := client.NewClient(
		client.WithBaseURL(graph.URL+"/beta"),
		client.WithHTTPClient(graph.Client()),
		client.WithTokenSource(tokens),
	)
	if err != nil {
		log.Fatal(err)
	}
	conn, err := c.AddConnector(context.Background(), "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("added %s; tokens asked for: %d\n", conn.ID, asked)
	// Output: added d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30; tokens asked for: 1
}

// fetchToken stands in for a credential such as azidentity's; the
// reference server knows "dev-token".
func fetchToken(ctx context.Context, scope string) (string, error) { return "dev-token", nil }

// graph is an example's stand-in for Graph: a test server (the reference
// server unless h is given) whose client sends through the contract
// suite's validating transport. Close prints any violation, which makes
// the example fail.
type graph struct {
	*httptest.Server
	tr *contract.Transport
}

func startGraph(h http.Handler) *graph {
	if h == nil {
		s, err := fakegraph.New(nil)
		if err != nil {
			panic(err)
		}
		h = s
	}
	srv := httptest.NewServer(h)
	tr, err := contract.NewTransport(srv.Client().Transport)
	if err != nil {
		panic(err)
	}
	return &graph{Server: srv, tr: tr}
}

func (g *graph) Client() *http.Client { return &http.Client{Transport: g.tr} }

func (g *graph) Close() {
	g.Server.Close()
	if g.tr.Exchanges() == 0 {
		fmt.Println("no request went through the validating transport")
	}
	for _, v := range g.tr.Violations() {
		fmt.Println("contract violation:", v)
	}
}

// An application published through Application Proxy is in one connector
// group; one that is not has none, and cannot be given one.
func ExampleClient_AddApplicationViaConnectorGroup() {
	graph := startGraph(nil)
	defer graph.Close()

	c, err := client.NewClient(
		client.WithBaseURL(graph.URL+"/beta"),
		client.WithHTTPClient(graph.Client()),
		client.WithTokenSource(client.StaticToken("dev-token")),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	const (
		intranet     = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84" // published, assigned to no group
		payroll      = "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48" // not published
		northAmerica = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	)
	show := func(app string) {
		g, err := c.GetApplicationConnectorGroup(ctx, app)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("in %s (default %v)\n", g.Name, g.IsDefault)
	}
	show(intranet)
	if err := c.AddApplicationViaConnectorGroup(ctx, northAmerica, intranet); err != nil {
		log.Fatal(err)
	}
	show(intranet)
	if err := c.RemoveApplicationConnectorGroup(ctx, intranet); err != nil {
		log.Fatal(err)
	}
	show(intranet)

	err = c.AddApplicationViaConnectorGroup(ctx, northAmerica, payroll)
	fmt.Println("not published:", errors.Is(err, client.ErrPublishingNotEnabled))
	// Output:
	// in Default (default true)
	// in North America (default false)
	// in Default (default true)
	// not published: true
}
