// Command docscheck is the second half of `make docs`: it proves that the
// spec's text holds no raw HTML tag (a placeholder such as <segment> that
// Redoc would render as an empty element), that the page Redocly rendered
// (build/docs/index.html) names every operation of the
// spec, by operationId and summary, and then loads it in headless Chromium
// (Debian's package), which must render it: the DOM after the scripts ran
// holds the spec's title and each tag in the navigation. It also takes a
// screenshot. Without Chromium it says so on stdout, and skips only the
// browser half.
//
// Redoc 3 (what @redocly/cli 2.x renders) shows each tag's operations on a
// page of its own, reached by client-side navigation, so the operations
// are checked in the page's own data, and the browser check proves the
// page renders at all.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("docscheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "openapi/connectorgroups.yaml", "the spec the page was rendered from")
	page := fs.String("html", "build/docs/index.html", "the rendered page")
	shot := fs.String("screenshot", "build/docs/screenshot.png", "where to write the screenshot")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	doc, err := openapi3.NewLoader().LoadFromFile(*spec)
	if err != nil {
		fmt.Fprintf(stderr, "docscheck: %v\n", err)
		return 2
	}
	tags, err := rawTags(doc)
	if err != nil {
		fmt.Fprintf(stderr, "docscheck: %v\n", err)
		return 2
	}
	if len(tags) > 0 {
		fmt.Fprintf(stdout, "docs: FAIL: %s has text the page would swallow:\n", *spec)
		for _, tag := range tags {
			fmt.Fprintf(stdout, "  %s\n", tag)
		}
		return 1
	}
	html, err := os.ReadFile(*page)
	if err != nil {
		fmt.Fprintf(stderr, "docscheck: %v\n", err)
		return 2
	}
	ops := operations(doc)
	if missing := missingFrom(string(html), ops); len(missing) > 0 {
		fmt.Fprintf(stdout, "docs: FAIL: %s does not name %d of the %d operations:\n", *page, len(missing), len(ops))
		for _, m := range missing {
			fmt.Fprintf(stdout, "  %s\n", m)
		}
		return 1
	}
	fmt.Fprintf(stdout, "docs: %s names all %d operations (operationId and summary)\n", *page, len(ops))

	browser := findChromium()
	if browser == "" {
		fmt.Fprintln(stdout, "docs: SKIPPED the browser check: no chromium on PATH (Debian: apt-get install chromium; or set CHROMIUM)")
		return 0
	}
	abs, err := filepath.Abs(*page)
	if err != nil {
		fmt.Fprintf(stderr, "docscheck: %v\n", err)
		return 2
	}
	url := "file://" + abs
	dom, err := chromium(browser, "--dump-dom", url)
	if err != nil {
		fmt.Fprintf(stdout, "docs: FAIL: %s could not load the page: %v\n", browser, err)
		return 1
	}
	want := []string{doc.Info.Title}
	for _, tag := range doc.Tags {
		want = append(want, tag.Name)
	}
	if missing := notRendered(string(dom), want); len(missing) > 0 {
		fmt.Fprintf(stdout, "docs: FAIL: the page Chromium rendered lacks %q\n", missing)
		return 1
	}
	if !hydrated(string(dom)) {
		fmt.Fprintln(stdout, "docs: FAIL: Chromium shows the prerendered page only: its scripts did not run (the search box still says Loading...)")
		return 1
	}
	if _, err := chromium(browser, "--hide-scrollbars", "--window-size=1400,1000", "--screenshot="+*shot, url); err != nil {
		fmt.Fprintf(stdout, "docs: FAIL: the screenshot: %v\n", err)
		return 1
	}
	info, err := os.Stat(*shot)
	if err != nil || info.Size() == 0 {
		fmt.Fprintf(stdout, "docs: FAIL: no screenshot at %s\n", *shot)
		return 1
	}
	fmt.Fprintf(stdout, "docs: headless %s ran the page's scripts and rendered it (title and tags %q in the DOM); screenshot %s (%d bytes)\n", filepath.Base(browser), want[1:], *shot, info.Size())
	return 0
}

// operation is what the page must name.
type operation struct{ id, summary string }

func operations(doc *openapi3.T) []operation {
	var out []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			out = append(out, operation{op.OperationID, op.Summary})
		}
	}
	return out
}

// missingFrom lists the operations whose id or summary the page lacks.
func missingFrom(html string, ops []operation) []string {
	var out []string
	for _, op := range ops {
		for _, s := range []string{op.id, op.summary} {
			if !strings.Contains(html, jsonText(s)) {
				out = append(out, fmt.Sprintf("%s: %q", op.id, s))
			}
		}
	}
	return out
}

// jsonText is s as the page's embedded JSON writes it.
func jsonText(s string) string { return strings.ReplaceAll(s, `"`, `\"`) }

var scripts = regexp.MustCompile(`(?s)<script\b.*?</script>`)

// notRendered lists the texts the DOM lacks once its scripts, and the data
// they carry, are removed: what is left is what the page shows.
func notRendered(dom string, texts []string) []string {
	shown := scripts.ReplaceAllString(dom, "")
	var out []string
	for _, t := range texts {
		if !strings.Contains(shown, ">"+t+"<") {
			out = append(out, t)
		}
	}
	return out
}

// prerendered is what Redoc's prerendered search box says until its
// scripts take over the page.
const prerendered = "<span>Loading...</span>"

// hydrated reports whether the page's scripts ran: they replace the
// prerendered search box.
func hydrated(dom string) bool {
	return !strings.Contains(scripts.ReplaceAllString(dom, ""), prerendered)
}

func findChromium() string {
	if c := os.Getenv("CHROMIUM"); c != "" {
		return c
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromium runs headless Chromium on the page, bounded, and returns its
// stdout. --virtual-time-budget lets the page's scripts finish first.
func chromium(browser string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	full := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000"}, args...)
	cmd := exec.CommandContext(ctx, browser, full...)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("no answer in 90 s")
	}
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, lastLine(errOut.String()))
	}
	return out, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
