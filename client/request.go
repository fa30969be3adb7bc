package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// builder makes one attempt's request. send calls it again for every
// retry, so that each attempt sends a whole, fresh body.
type builder func() (*http.Request, error)

// send is the one request path of every method: a fresh client-request-id
// for the request, shared by all its retries (the service echoes it, and
// Microsoft support looks requests up by it); a token asked for before
// each attempt; the common headers; then the retry loop, do, which turns
// every non-2xx answer into an *Error. It returns a 2xx response, its
// body already read.
func (c *Client) send(ctx context.Context, replay replayRule, build builder) (*http.Response, []byte, error) {
	requestID := uuid.NewString()
	return c.do(ctx, requestID, replay, func(ctx context.Context) (*http.Response, error) {
		token, err := c.token(ctx)
		if err != nil {
			return nil, &permanentError{err}
		}
		// An error here came from building the request: nothing was sent,
		// and asking again cannot help.
		req, err := build()
		if err != nil {
			return nil, &permanentError{fmt.Errorf("client: building the request: %w", err)}
		}
		req = req.WithContext(ctx)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("User-Agent", c.userAgent)
		req.Header.Set("Accept", "application/json")
		req.Header.Set(graph.HeaderClientRequestID, requestID)
		resp, err := c.hc.Do(req)
		releaseLocation(resp)
		if resp != nil {
			// What the client sent, whatever a transport in between made
			// of it: readResponse names it, and newError learns from it
			// which token to keep out of what it prints.
			resp.Request = req
		}
		return resp, err
	})
}

// decode reads a 2xx body that must hold what into v. done says what the
// service did, for mutating calls ("the group was created"), so that an
// unreadable answer does not read as a failed operation; it is empty for
// reads.
func decode(resp *http.Response, body []byte, what, done string, v any) error {
	var err error
	if len(body) == 0 {
		err = fmt.Errorf("the response (%s) has no body", resp.Status)
	} else if jerr := json.Unmarshal(body, v); jerr != nil {
		err = fmt.Errorf("the response body (%s) is not %s: %w", resp.Status, what, jerr)
	} else {
		return nil
	}
	if done != "" {
		return fmt.Errorf("client: %s, but %w", done, err)
	}
	return fmt.Errorf("client: want %s: %w", what, err)
}
