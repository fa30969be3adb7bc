package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// fakeCurl does what `curl -i [-X METHOD] URL [-H 'Name: value']... [-d BODY]`
// does, for the examples' test on a machine without curl: it sends the
// request and prints the response as curl -i prints it. It returns the
// exit status.
func fakeCurl(args []string, stdout, stderr io.Writer) int {
	method, url, body := "", "", ""
	header := http.Header{}
	for i := 0; i < len(args); i++ {
		next := func() string {
			i++
			if i < len(args) {
				return args[i]
			}
			return ""
		}
		switch args[i] {
		case "-i", "-s", "-sS":
		case "-X":
			method = next()
		case "-H":
			k, v, _ := strings.Cut(next(), ":")
			header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		case "-d":
			body = next()
		default:
			if strings.HasPrefix(args[i], "-") {
				fmt.Fprintf(stderr, "curl: option %s is not emulated\n", args[i])
				return 2
			}
			url = args[i]
		}
	}
	switch {
	case method == "" && body != "":
		method = http.MethodPost
	case method == "":
		method = http.MethodGet
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		fmt.Fprintf(stderr, "curl: %v\n", err)
		return 3
	}
	req.Header = header
	if body != "" && header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // as curl -d does
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "curl: %v\n", err)
		return 7
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		fmt.Fprintf(stderr, "curl: %v\n", err)
		return 56
	}
	fmt.Fprintf(stdout, "HTTP/1.1 %s\r\n", resp.Status)
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(stdout, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(stdout, "\r\n%s", respBody)
	return 0
}
