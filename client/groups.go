package client

import (
	"encoding/json"
	"errors"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// ConnectorGroup is an Application Proxy connector group
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroup). Its
// JSON names are Graph's, so that it prints as Graph writes it.
type ConnectorGroup struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// ConnectorGroupType and IsDefault are set by the system; exactly one
	// group of a tenant is the default, and it cannot be deleted.
	ConnectorGroupType ConnectorGroupType `json:"connectorGroupType,omitempty"`
	IsDefault          bool               `json:"isDefault"`
	// Region is "" when the service sent null or nothing.
	Region ConnectorGroupRegion `json:"region,omitempty"`
}

// ConnectorGroupType is the kind of a group. Today's beta metadata knows
// one; a value this package does not know is kept as sent, and never
// fails a call.
type ConnectorGroupType string

// The connector group types the spec knows.
const (
	ConnectorGroupTypeApplicationProxy ConnectorGroupType = "applicationProxy"
)

// ConnectorGroupRegion is where a group's traffic is served from. Graph's
// enums grow, and a real tenant has sent "japan", which the metadata does
// not list: a value this package does not know is kept as sent, and never
// fails a call. The client sends what it is given, unchecked, for the
// same reason; the service refuses what it does not take.
type ConnectorGroupRegion string

// The regions the spec knows
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupRegion).
const (
	RegionNorthAmerica       ConnectorGroupRegion = "nam"
	RegionEurope             ConnectorGroupRegion = "eur"
	RegionAustralia          ConnectorGroupRegion = "aus"
	RegionAsia               ConnectorGroupRegion = "asia"
	RegionIndia              ConnectorGroupRegion = "ind"
	RegionUnknownFutureValue ConnectorGroupRegion = "unknownFutureValue"
)

// NewConnectorGroup is what CreateConnectorGroup sends
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupCreate).
type NewConnectorGroup struct {
	Name string // required
	// Region is left out of the request when empty; the service then
	// chooses.
	Region ConnectorGroupRegion
}

// ConnectorGroupUpdate is what UpdateConnectorGroup changes
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupUpdate).
// An empty field is left as it is; an update with no field set changes
// nothing. Region can change only while the group holds no connectors.
type ConnectorGroupUpdate struct {
	Name   string
	Region ConnectorGroupRegion
	// ClearRegion sends "region": null, which leaves the group with no
	// region (Graph's property is nullable). It cannot go with a Region.
	ClearRegion bool
}

// groupFromWire converts the generated type, so that a change of the
// spec's schema shows here at compile time.
func groupFromWire(g api.ConnectorGroup) ConnectorGroup {
	return ConnectorGroup{
		ID:                 g.Id,
		Name:               g.Name,
		ConnectorGroupType: ConnectorGroupType(g.ConnectorGroupType),
		IsDefault:          g.IsDefault,
		Region:             ConnectorGroupRegion(deref(g.Region)),
	}
}

func (n NewConnectorGroup) wire() api.ConnectorGroupCreate {
	return api.ConnectorGroupCreate{Name: n.Name, Region: optional(api.ConnectorGroupRegion(n.Region))}
}

// body is the PATCH body. The generated type cannot hold an explicit
// null (its omitempty pointer reads nil as absent), so the clearing form
// is written here, with the spec's property names.
func (u ConnectorGroupUpdate) body() ([]byte, error) {
	if u.ClearRegion && u.Region != "" {
		return nil, errors.New("client: an update cannot both set and clear the region")
	}
	if !u.ClearRegion {
		return json.Marshal(api.ConnectorGroupUpdate{Name: optional(u.Name), Region: optional(api.ConnectorGroupRegion(u.Region))})
	}
	return json.Marshal(struct {
		Name   *string `json:"name,omitempty"`
		Region *string `json:"region"`
	}{Name: optional(u.Name)})
}

// optional is nil for the zero value, so that omitempty leaves it out.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}
