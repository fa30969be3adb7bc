package compat_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/compat/msgraph-beta-sdk-go"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// throttle makes the fake answer the next n requests 429 with
// Retry-After (fakegraph.Faults), and lets every other one through.
type throttle struct{ pending atomic.Int32 }

func (th *throttle) next(n int32) { th.pending.Store(n) }

// roll is Faults.Rand: 0 fails a request (below the rate of 0.5), 0.99
// lets it through.
func (th *throttle) roll() float64 {
	for {
		n := th.pending.Load()
		if n <= 0 {
			return 0.99
		}
		if th.pending.CompareAndSwap(n, n-1) {
			return 0
		}
	}
}

func throttlingSteps() []step {
	return []step{
		{"a 429 with Retry-After: the SDK waits and sends again", func(t *testing.T, l *lifecycle) {
			// The group first: a step that stops before its GET must not
			// leave the 429 for the next step's request.
			id := l.requireCreated(t)
			before := len(l.wire.all())
			l.throttle.next(1)

			got, err := l.groups().ByConnectorGroupId(id).Get(ctx(t), nil)
			require.NoError(t, err, "the SDK's retry handler makes the 429 invisible")
			assert.Equal(t, "SDK pilot, renamed", deref(got.GetName()))

			sent := l.wire.since(before)
			require.Len(t, sent, 2, "the throttled GET, then the one sent again: %v", sent)
			throttled, retried := sent[0], sent[1]
			assert.Equal(t, http.StatusTooManyRequests, throttled.status)
			assert.Equal(t, "1", throttled.retryAfter)
			assert.Equal(t, http.StatusOK, retried.status)
			assert.Equal(t, "1", retried.retryAttempt, "kiota's Retry-Attempt header")
			// A lower bound only: the SDK sleeps Retry-After before it
			// sends again, and a sleep never ends early.
			assert.GreaterOrEqual(t, retried.at.Sub(throttled.at), time.Second, "the SDK waited Retry-After")
		}},
	}
}

// A write the fake throttles, as fresh SDK clients send it again.
// kiota-http-go v1.5.6 orders its default middleware by ranging over a
// map (getDefaultMiddleWare), so each client gets its own order. When the
// compression handler runs inside the retry handler, the write is sent
// again as plain JSON still labelled Content-Encoding: gzip: the handler
// set the label on the header map the request copies share, and the body
// on its copy alone. The fake cannot inflate that body and answers 400,
// as a service that takes gzip must. In a third order the retry finds
// the body already read, and Go's transport refuses to send it ("http:
// ContentLength=46 with Body length 0"): the call fails with nothing
// sent again. Each way, the fake's answer matches what came, and nothing
// is made twice.
func TestThrottledWritesAsTheSDKSendsThemAgain(t *testing.T) {
	const clients = 8
	th := &throttle{}
	fake, err := fakegraph.New(nil, fakegraph.WithFaults(fakegraph.Faults{Rate: 0.5, RetryAfter: time.Second, Rand: th.roll}))
	require.NoError(t, err)
	wire := &wireLog{}
	srv := httptest.NewServer(wire.wrap(fake))
	t.Cleanup(srv.Close)

	var compressed, mislabelled, notSent int
	for i := range clients {
		sdk, err := compat.NewClient(srv.URL+"/beta", "dev-token")
		require.NoError(t, err)
		groups := len(fake.Groups())
		before := len(wire.all())
		th.next(1)

		body := models.NewConnectorGroup()
		body.SetName(ptr(fmt.Sprintf("Throttled %d", i)))
		_, err = sdk.OnPremisesPublishingProfiles().ByOnPremisesPublishingProfileId("applicationProxy").ConnectorGroups().Post(ctx(t), body, nil)

		sent := wire.since(before)
		require.NotEmpty(t, sent, "the throttled POST reached the fake")
		assert.Equal(t, http.StatusTooManyRequests, sent[0].status)
		assert.True(t, sent[0].gzipBytes, "the first try is compressed: %v", sent[0])
		switch len(sent) {
		case 1:
			// In some of its orders the SDK gives up after the 429
			// without a second request: the call fails, and nothing is
			// made.
			notSent++
			require.Error(t, err, "a create the SDK did not send again fails")
			assert.Len(t, fake.Groups(), groups, "nothing made")
			t.Logf("client %d: not sent again: %v", i, err)
		case 2:
			retried := sent[1]
			assert.Equal(t, "gzip", retried.contentEncoding, "labelled gzip both times: %v", retried)
			if retried.gzipBytes {
				compressed++
				require.NoError(t, err, "a compressed body sent again is read")
				assert.Len(t, fake.Groups(), groups+1, "made once")
			} else {
				mislabelled++
				requireODataError(t, err, http.StatusBadRequest, "BadRequest",
					"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
				assert.Len(t, fake.Groups(), groups, "nothing made")
			}
		default:
			t.Fatalf("client %d sent the create %d times: %v", i, len(sent), sent)
		}
	}
	t.Logf("%d fresh SDK clients, each throttled once on a create: %d sent the compressed body again, %d sent plain JSON labelled gzip, %d did not send it again", clients, compressed, mislabelled, notSent)
}
