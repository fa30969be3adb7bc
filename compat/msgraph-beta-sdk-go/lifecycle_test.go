package compat_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	msgraphsdk "github.com/microsoftgraph/msgraph-beta-sdk-go"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/onpremisespublishingprofiles"

	"github.com/connectorgroups/connectorgroups/compat/msgraph-beta-sdk-go"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// sdkVersion is the SDK release go.mod requires, the one this suite
// proves; TestGoModRequiresTheProvenSDK keeps the two equal.
const sdkVersion = "v0.165.0"

// step is one thing a user does through the SDK, and what it must find.
// A step may rely on what the steps before it did.
type step struct {
	name string
	run  func(t *testing.T, l *lifecycle)
}

// lifecycleSteps is the whole lifecycle, in order. Each group of steps is
// a table of its own (one file each); the applications' steps use the
// created group, so they come before the cleanup deletes it and puts the
// seed's state back.
func lifecycleSteps() []step {
	return slices.Concat(
		groupSteps(),       // groups_test.go: list, create, get, rename
		moveSteps(),        // moves_test.go: members, memberOf, both move paths
		connectorSteps(),   // connectors_test.go: list and get
		pagingSteps(),      // paging_test.go: PageIterator over pages of two
		errorSteps(),       // errors_test.go: 404, 400 and 403 as ODataError
		throttlingSteps(),  // throttling_test.go: 429 and Retry-After
		applicationSteps(), // applications_test.go: read, assign, move, unassign
		cleanupSteps(),     // cleanup_test.go: moves back, delete
		wireSteps(),        // wire_test.go: what went over the wire
	)
}

// TestSDKLifecycle runs every step against one fake, in-process on
// 127.0.0.1, through the SDK as it ships. Every step runs, whatever the
// earlier ones found, and the counts of those that passed and of those
// skipped (what the SDK has no builder for) are logged apart: t.Run
// reports a skipped step as a success.
func TestSDKLifecycle(t *testing.T) {
	l := newLifecycle(t)
	steps := lifecycleSteps()
	passed, skipped := 0, 0
	for _, s := range steps {
		var wasSkipped bool
		ok := t.Run(s.name, func(t *testing.T) {
			defer func() { wasSkipped = t.Skipped() }()
			s.run(t, l)
		})
		switch {
		case ok && wasSkipped:
			skipped++
		case ok:
			passed++
		}
	}
	t.Logf("msgraph-beta-sdk-go %s: %d of %d steps passed, %d skipped", sdkVersion, passed, len(steps), skipped)
}

// lifecycle is what the steps share: the fake, what reached it, and the
// SDK's clients.
type lifecycle struct {
	fake     *fakegraph.Server
	wire     *wireLog
	throttle *throttle
	seed     fakegraph.Snapshot // the state before the first step
	sdk      *msgraphsdk.GraphServiceClient
	reader   *msgraphsdk.GraphServiceClient // with a token that may only read
	created  string                         // the id of the group the lifecycle creates
}

// pageSize is the fake's page cap: every list of the seed's three groups
// or connectors takes two pages.
const pageSize = 2

func newLifecycle(t *testing.T) *lifecycle {
	t.Helper()
	th := &throttle{}
	fake, err := fakegraph.New(nil,
		fakegraph.WithPageSize(pageSize),
		fakegraph.WithFaults(fakegraph.Faults{Rate: 0.5, RetryAfter: time.Second, Rand: th.roll}),
	)
	if err != nil {
		t.Fatal(err)
	}
	wire := &wireLog{}
	srv := httptest.NewServer(wire.wrap(fake)) // 127.0.0.1, a free port
	t.Cleanup(srv.Close)

	l := &lifecycle{fake: fake, wire: wire, throttle: th, seed: fake.Snapshot()}
	if l.sdk, err = compat.NewClient(srv.URL+"/beta", "dev-token"); err != nil {
		t.Fatal(err)
	}
	if l.reader, err = compat.NewClient(srv.URL+"/beta", "reader-token"); err != nil {
		t.Fatal(err)
	}
	return l
}

// ctx bounds one call: the fake answers at once, and the SDK's only wait
// is a Retry-After of a second.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func (l *lifecycle) profile(c *msgraphsdk.GraphServiceClient) *onpremisespublishingprofiles.OnPremisesPublishingProfileItemRequestBuilder {
	return c.OnPremisesPublishingProfiles().ByOnPremisesPublishingProfileId("applicationProxy")
}

func (l *lifecycle) groups() *onpremisespublishingprofiles.ItemConnectorGroupsRequestBuilder {
	return l.profile(l.sdk).ConnectorGroups()
}

func (l *lifecycle) connectors() *onpremisespublishingprofiles.ItemConnectorsRequestBuilder {
	return l.profile(l.sdk).Connectors()
}

// requireCreated stops a step that needs the group the lifecycle creates
// when the create step did not make it.
func (l *lifecycle) requireCreated(t *testing.T) string {
	t.Helper()
	if l.created == "" {
		t.Fatal("no group was created: the create step failed")
	}
	return l.created
}

// Links as a user writes them for the live service: the fake takes any
// host, so the same code runs against both.
const graphBeta = "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy"

func connectorLink(id string) string { return graphBeta + "/connectors/" + id }

func connectorGroupLink(id string) string { return graphBeta + "/connectorGroups/" + id }
