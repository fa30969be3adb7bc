// Package seedgen writes big seeds for `connectorgroups serve -seed FILE`,
// deterministically, for make bench and make bench-scale.
package seedgen

import (
	"fmt"
	"io"
	"strconv"
)

// ConnectorID is the id of connector i.
func ConnectorID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012x", i) }

// GroupID is the id of group j; group 0 is the default.
func GroupID(j int) string { return fmt.Sprintf("00000000-0000-4000-9000-%012x", j) }

// Write writes a seed of n connectors and groups connector groups (at
// least 1): group 0 is the default and holds every connector no group
// lists; with spread, group i mod groups lists connector i. The one token
// is dev-token, with Directory.ReadWrite.All.
func Write(w io.Writer, n, groups int, spread bool) error {
	statuses := [2]string{"active", "inactive"}
	if _, err := io.WriteString(w, "{\n  \"connectors\": [\n"); err != nil {
		return err
	}
	for i := range n {
		sep := ",\n"
		if i == n-1 {
			sep = "\n"
		}
		_, err := fmt.Fprintf(w, `    {"id": %q, "machineName": "CONNECTOR-%d.contoso.com", "externalIp": "198.51.%d.%d", "status": %q, "version": "1.5.3437.0"}%s`,
			ConnectorID(i), i, (i/256)%256, i%256, statuses[i%7/6], sep)
		if err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, "  ],\n  \"connectorGroups\": [\n"); err != nil {
		return err
	}
	regions := []string{"nam", "eur", "aus", "asia", "ind"}
	for j := range groups {
		name := "Group " + strconv.Itoa(j)
		if j == 0 {
			name = "Default"
		}
		if _, err := fmt.Fprintf(w, `    {"id": %q, "name": %q, "connectorGroupType": "applicationProxy", "isDefault": %t, "region": %q, "members": [`,
			GroupID(j), name, j == 0, regions[j%len(regions)]); err != nil {
			return err
		}
		if spread {
			first := true
			for i := j; i < n; i += groups {
				if !first {
					if _, err := io.WriteString(w, ", "); err != nil {
						return err
					}
				}
				first = false
				if _, err := fmt.Fprintf(w, "%q", ConnectorID(i)); err != nil {
					return err
				}
			}
		}
		sep := "]},\n"
		if j == groups-1 {
			sep = "]}\n"
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "  ],\n  \"tokens\": {\"dev-token\": [\"Directory.ReadWrite.All\"]}\n}\n")
	return err
}
