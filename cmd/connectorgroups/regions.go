package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/gen/spec"
)

// regionSchema names the spec's enum of regions
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupRegion).
const regionSchema = "ConnectorGroupRegion"

// sendableRegions are the regions a command may send: the spec's enum, as
// embedded in gen/spec, read once, so that the help, the check and the
// spec cannot disagree. OData's unknownFutureValue is left out: it marks
// where an evolvable enum may grow, and a client never sends it [inferred].
var sendableRegions = sync.OnceValues(func() ([]string, error) {
	raw, err := spec.GetSpecJSON()
	if err != nil {
		return nil, err
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []any `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	var regions []string
	for _, v := range doc.Components.Schemas[regionSchema].Enum {
		if s, ok := v.(string); ok && s != string(api.ConnectorGroupRegionUnknownFutureValue) {
			regions = append(regions, s)
		}
	}
	if len(regions) == 0 {
		return nil, fmt.Errorf("the embedded spec lists no %s values", regionSchema)
	}
	return regions, nil
})

// regionList is the regions for a flag's help: "nam, eur, aus, asia or ind".
func regionList() string {
	regions, err := sendableRegions()
	if err != nil {
		return "one of the spec's " + regionSchema + " values"
	}
	if len(regions) == 1 {
		return regions[0]
	}
	return strings.Join(regions[:len(regions)-1], ", ") + " or " + regions[len(regions)-1]
}

// checkRegion returns the problem with a -region value, if it has one:
// refused before any request, since the server would refuse it too.
func checkRegion(flag, region string) []string {
	if region == "" {
		return nil
	}
	regions, err := sendableRegions()
	if err != nil {
		// The embedded spec is part of the build, and tested; should it
		// not read, the server still judges the value.
		return nil
	}
	if !slices.Contains(regions, region) {
		return []string{fmt.Sprintf("-%s %q is not a region; the regions are %s", flag, region, regionList())}
	}
	return nil
}
