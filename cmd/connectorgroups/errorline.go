package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// errorLine puts a failure on one line: for a service error, Graph's code
// and message, then the status and the request-id that support asks for.
// What a server sent is made safe for a terminal (graph.OneLine: no
// control character, and format characters such as a right-to-left
// override escaped), and token, the one the command sent, is redacted
// wherever a server echoed it. The client's *Error comes without the token
// already; other errors (a link quoted, a transport's) may not.
func errorLine(err error, token string) string {
	var unread *changedButUnread
	if errors.As(err, &unread) {
		return graph.OneLine("error: "+unread.done+", but reading it back failed: "+strings.TrimPrefix(errorLine(unread.err, token), "error: "), 2000)
	}
	// An apply that stopped names the change that failed (its group's
	// name came from the server, so the token is redacted there too).
	var stopped *desired.ApplyError
	if errors.As(err, &stopped) {
		at := fmt.Sprintf("change %d of %d, %s", len(stopped.Done)+1, len(stopped.Done)+1+len(stopped.NotDone), graph.RedactSecret(stopped.Failed.String(), token))
		return graph.OneLine("error: apply stopped at "+at+": "+strings.TrimPrefix(errorLine(stopped.Err, token), "error: "), 2000)
	}
	var ge *client.Error
	if !errors.As(err, &ge) {
		return "error: " + graph.OneLine(graph.RedactSecret(err.Error(), token), 2000)
	}
	code := ge.Code
	if code == "" {
		code = http.StatusText(ge.StatusCode)
	}
	notes := []string{fmt.Sprintf("status %d", ge.StatusCode)}
	if ge.RequestID != "" {
		notes = append(notes, "request-id "+ge.RequestID)
	}
	if ge.RetryAfter > 0 {
		notes = append(notes, "retry after "+ge.RetryAfter.String())
	}
	if ge.Attempts > 1 {
		notes = append(notes, fmt.Sprintf("%d attempts", ge.Attempts))
	}
	if ge.AfterAmbiguousAttempt && errors.Is(ge, client.ErrAlreadyMember) {
		notes = append(notes, "an earlier attempt may have added it")
	}
	if ge.Location != "" {
		notes = append(notes, "redirect to "+ge.Location+" not followed")
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		notes = append(notes, "timed out before a retry")
	case errors.Is(err, context.Canceled):
		notes = append(notes, "interrupted before a retry")
	}
	line := fmt.Sprintf("error: %s: %s (%s)", code, ge.Message, strings.Join(notes, ", "))
	// Code, message and ids come from the server: one line, and no control
	// or format character reaches the terminal.
	return graph.OneLine(graph.RedactSecret(line, token), 2000)
}

// changedButUnread is the error of a command whose change was made but
// whose result could not be read back: the line says that the change
// stands, so that nobody repeats it.
type changedButUnread struct {
	done string // "the connector was moved"
	err  error
}

func (e *changedButUnread) Error() string {
	return e.done + ", but reading it back failed: " + e.err.Error()
}

func (e *changedButUnread) Unwrap() error { return e.err }
