package main

import (
	"fmt"
	"regexp"
	"strconv"
)

// version is a spec's info.version: MAJOR.MINOR.PATCH as semver 2.0.0
// writes it, without pre-release or build parts (the spec has never needed
// them, and leaving them out keeps "which number moved" unambiguous).
type version struct{ major, minor, patch int }

var versionPattern = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// parseVersion reads s as MAJOR.MINOR.PATCH, refusing leading zeros, a "v"
// prefix and pre-release or build suffixes.
func parseVersion(s string) (version, error) {
	m := versionPattern.FindStringSubmatch(s)
	if m == nil {
		return version{}, fmt.Errorf("%q is not a semantic version MAJOR.MINOR.PATCH (such as 0.3.0; no \"v\", no leading zeros, no pre-release suffix)", s)
	}
	var v version
	for i, p := range []*int{&v.major, &v.minor, &v.patch} {
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return version{}, fmt.Errorf("%q: %w", s, err)
		}
		*p = n
	}
	return v, nil
}

func (v version) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

// compare orders versions by semver precedence: -1, 0 or +1.
func (v version) compare(w version) int {
	for _, d := range [][2]int{{v.major, w.major}, {v.minor, w.minor}, {v.patch, w.patch}} {
		switch {
		case d[0] < d[1]:
			return -1
		case d[0] > d[1]:
			return 1
		}
	}
	return 0
}

// allowsBreaking reports whether going from released to next may carry a
// breaking change: a major bump. Under 1.0.0, semver lets anything change,
// so the minor number takes the major's role (0.2.x to 0.3.0), as oasdiff's
// own versioning policy reads it; 0.2.0 to 0.2.1 may not break anything.
// From 1.0.0 on, only MAJOR counts.
func allowsBreaking(released, next version) bool {
	if released.major == 0 && next.major == 0 {
		return next.minor > released.minor
	}
	return next.major > released.major
}

// nextMajor is the smallest version that allowsBreaking from v, for the
// gate's advice.
func nextMajor(v version) version {
	if v.major == 0 {
		return version{0, v.minor + 1, 0}
	}
	return version{v.major + 1, 0, 0}
}
