package compat

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/microsoft/kiota-abstractions-go/authentication"
	msgraphsdk "github.com/microsoftgraph/msgraph-beta-sdk-go"
)

// NewClient returns the SDK's client as it ships, its default middleware
// and all, pointed at baseURL (the fake's is http://127.0.0.1:8080/beta)
// and sending token as the bearer token: the SDK's own Azure credentials
// are not needed for a fake.
func NewClient(baseURL, token string) (*msgraphsdk.GraphServiceClient, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, err
	}
	tokens, err := NewStaticTokenProvider(token, u.Hostname())
	if err != nil {
		return nil, err
	}
	adapter, err := msgraphsdk.NewGraphRequestAdapter(authentication.NewBaseBearerTokenAuthenticationProvider(tokens))
	if err != nil {
		return nil, err
	}
	adapter.SetBaseUrl(baseURL)
	return msgraphsdk.NewGraphServiceClient(adapter), nil
}

// StaticTokenProvider is a kiota AccessTokenProvider that hands one fixed
// token to the hosts it allows, and to no other, as the SDK's Azure
// provider does. Like that provider it sends a token over plain http only
// to a loopback host, where a fake listens.
type StaticTokenProvider struct {
	token string
	hosts *authentication.AllowedHostsValidator
}

// NewStaticTokenProvider allows token to go to hosts (host names, no
// scheme or port), at least one.
func NewStaticTokenProvider(token string, hosts ...string) (*StaticTokenProvider, error) {
	if len(hosts) == 0 {
		return nil, errors.New("name the hosts the token may go to")
	}
	allowed, err := authentication.NewAllowedHostsValidatorErrorCheck(hosts)
	if err != nil {
		return nil, err
	}
	return &StaticTokenProvider{token: token, hosts: allowed}, nil
}

// GetAuthorizationToken returns the token for a URL on an allowed host,
// "" for any other host (the request then goes without one), and an
// error for plain http to a host that is not loopback.
func (p *StaticTokenProvider) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !p.hosts.IsUrlHostValid(u) {
		return "", nil
	}
	if !strings.EqualFold(u.Scheme, "https") && !isLoopback(u.Hostname()) {
		return "", errors.New("the token goes over https only, or plain http to a loopback host")
	}
	return p.token, nil
}

// GetAllowedHostsValidator returns the hosts the token may go to.
func (p *StaticTokenProvider) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	return p.hosts
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}
