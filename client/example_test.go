package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
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
	conn, err := c.AddConnector(context.Background(),
		"4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", // the connector group
		"d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30", // the connector
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn.MachineName, conn.ExternalIP, conn.Status)
	// Output: CONNECTOR-01.contoso.com 203.0.113.10 active
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
// the whole call, waits included.
func ExampleWithRetry() {
	c, err := client.NewClient(
		client.WithTokenSource(client.StaticToken("token")),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 6, MaxRetryAfter: 2 * time.Minute}),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, _ = c.AddConnector(ctx, "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30")
}

// Any credential plugs in through TokenFunc; see the README for Azure's
// azidentity.
func ExampleTokenFunc() {
	tokens := client.TokenFunc(func(ctx context.Context) (string, error) {
		return fetchToken(ctx, "https://graph.microsoft.com/.default")
	})
	c, err := client.NewClient(client.WithTokenSource(tokens))
	if err != nil {
		log.Fatal(err)
	}
	_ = c
}

func fetchToken(ctx context.Context, scope string) (string, error) { return "token", nil }

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
