package fakegraph

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// stdJSON is what encoding/json writes for v with HTML escaping off, the
// bytes the appenders must match.
func stdJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// randomString draws from what makes JSON strings hard: quotes,
// backslashes, every control character, HTML's <>&, DEL, multi-byte
// runes, U+2028/U+2029, and bytes that are not UTF-8.
func randomString(r *rand.Rand) string {
	pieces := []string{"a", "Z", "0", " ", `"`, `\`, "/", "<", ">", "&", "\x7f", "é", "日本", "😀", "\u2028", "\u2029", "\ufffd", "\xff", "\xc3", "\xed\xa0\x80", "$", "'"}
	var b []byte
	for n := r.IntN(12); n > 0; n-- {
		if r.IntN(4) == 0 {
			b = append(b, byte(r.IntN(0x20)))
			continue
		}
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	return string(b)
}

func TestAppendJSONStringIsEncodingJSONs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		s := randomString(r)
		require.Equal(t, stdJSON(t, s), string(appendJSONString(nil, s)), "%q", s)
	}
	for c := range 256 { // every single byte
		s := string([]byte{byte(c)})
		require.Equal(t, stdJSON(t, s), string(appendJSONString(nil, s)), "%q", s)
	}
}

// The appended bodies are byte for byte what encoding/json wrote for the
// wire types before: the generated api.Connector, groupBody and
// collection.
func TestAppendedBodiesAreEncodingJSONs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		c := Connector{ID: randomString(r), MachineName: randomString(r), ExternalIP: randomString(r), Status: randomString(r), Version: randomString(r)}
		g := ConnectorGroup{ID: randomString(r), Name: randomString(r), ConnectorGroupType: randomString(r), IsDefault: r.IntN(2) == 0, Region: randomString(r)}
		ctx := randomString(r)

		wantC := apiConnector(c)
		if ctx != "" {
			wantC.OdataContext = &ctx
		}
		require.Equal(t, stdJSON(t, wantC), string(appendConnector(nil, c, ctx)))
		wantG := apiGroup(g)
		wantG.OdataContext = ctx
		require.Equal(t, stdJSON(t, wantG), string(appendGroup(nil, g, ctx)))

		next := randomString(r)
		cs := []Connector{c, {ID: "x", Status: "active"}}
		wantCs := collection[api.Connector]{OdataContext: ctx, Value: []api.Connector{apiConnector(cs[0]), apiConnector(cs[1])}, NextLink: next}
		require.Equal(t, stdJSON(t, wantCs), string(appendCollection(nil, ctx, cs, appendConnectorItem, next)))
		wantGs := collection[groupBody]{OdataContext: ctx, Value: []groupBody{}}
		require.Equal(t, stdJSON(t, wantGs), string(appendCollection(nil, ctx, []ConnectorGroup{}, appendGroupItem, "")))
	}
}

// The wire types the appenders replaced, kept here as their reference:
// what encoding/json writes for them is what the appenders must write.

func apiConnector(c Connector) api.Connector {
	out := api.Connector{
		Id:          c.ID,
		MachineName: c.MachineName,
		ExternalIp:  c.ExternalIP,
		Status:      api.ConnectorStatus(c.Status),
	}
	if c.Version != "" {
		out.Version = &c.Version
	}
	return out
}

// groupBody is a connectorGroup on the wire. Unlike the generated type,
// it sends "region": null for a group without one, as Graph sends a
// nullable property.
type groupBody struct {
	OdataContext       string  `json:"@odata.context,omitempty"`
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	ConnectorGroupType string  `json:"connectorGroupType"`
	IsDefault          bool    `json:"isDefault"`
	Region             *string `json:"region"`
}

func apiGroup(g ConnectorGroup) groupBody {
	out := groupBody{ID: g.ID, Name: g.Name, ConnectorGroupType: g.ConnectorGroupType, IsDefault: g.IsDefault}
	if g.Region != "" {
		out.Region = &g.Region
	}
	return out
}

// collection is one page of a list, as Graph sends it.
// openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupCollection
type collection[T any] struct {
	OdataContext string `json:"@odata.context"`
	Value        []T    `json:"value"`
	NextLink     string `json:"@odata.nextLink,omitempty"`
}
