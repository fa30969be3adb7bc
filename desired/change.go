package desired

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Action is the kind of a Change. Its values are the "action" of the
// plan's JSON.
type Action string

// The actions, in the order a plan makes them (see the package doc).
const (
	CreateGroup     Action = "createGroup"
	RenameGroup     Action = "renameGroup"
	MoveConnector   Action = "moveConnector"
	MoveApplication Action = "moveApplication"
	SetRegion       Action = "setRegion"
	DeleteGroup     Action = "deleteGroup"
)

// GroupRef names a group in a change. ID is "" for a group the plan
// creates, until Apply has created it.
type GroupRef struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// ConnectorRef names a connector in a change.
type ConnectorRef struct {
	ID          string `json:"id"`
	MachineName string `json:"machineName,omitempty"`
}

// ApplicationRef names an application in a change.
type ApplicationRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
}

// Change is one write a plan makes.
type Change struct {
	Action Action
	// Group is the group created, renamed, given a region or deleted, or
	// the one a connector or application moves into.
	Group GroupRef
	// From is the group a connector or application leaves; nil for an
	// application that reported none.
	From *GroupRef
	// Connector is set for MoveConnector, Application for MoveApplication.
	Connector   *ConnectorRef
	Application *ApplicationRef
	// Name is the new name of RenameGroup.
	Name string
	// Region is the region of CreateGroup and SetRegion: nil for a group
	// created without one, a pointer to "" for none.
	Region *string
	// OldRegion is the region SetRegion replaces, "" for none.
	OldRegion string
}

// String is the change in a line, as plan and apply print it.
func (c Change) String() string {
	switch c.Action {
	case CreateGroup:
		if c.Region != nil && *c.Region != "" {
			return fmt.Sprintf("create group %s in region %s", strconv.Quote(c.Group.Name), *c.Region)
		}
		return fmt.Sprintf("create group %s", strconv.Quote(c.Group.Name))
	case RenameGroup:
		return fmt.Sprintf("rename the default group %s to %s", strconv.Quote(c.Group.Name), strconv.Quote(c.Name))
	case MoveConnector:
		return fmt.Sprintf("move connector %s from %s to %s", connectorLabel(c.Connector), groupLabel(c.From), strconv.Quote(c.Group.Name))
	case MoveApplication:
		return fmt.Sprintf("move application %s from %s to %s", applicationLabel(c.Application), groupLabel(c.From), strconv.Quote(c.Group.Name))
	case SetRegion:
		return fmt.Sprintf("change the region of %s from %s to %s", strconv.Quote(c.Group.Name), regionLabel(c.OldRegion), regionLabel(deref(c.Region)))
	case DeleteGroup:
		return fmt.Sprintf("delete group %s", strconv.Quote(c.Group.Name))
	}
	return string(c.Action)
}

func connectorLabel(r *ConnectorRef) string {
	if r == nil {
		return "?"
	}
	if r.MachineName != "" {
		return r.MachineName
	}
	return r.ID
}

func applicationLabel(r *ApplicationRef) string {
	if r == nil {
		return "?"
	}
	if r.DisplayName != "" {
		return strconv.Quote(r.DisplayName) + " (" + r.ID + ")"
	}
	return r.ID
}

func groupLabel(r *GroupRef) string {
	if r == nil {
		return "no group"
	}
	return strconv.Quote(r.Name)
}

func regionLabel(r string) string {
	if r == "" {
		return "none"
	}
	return r
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// MarshalJSON writes the change as plan -o json prints it: the action,
// the group, and only the fields the action has. A region of none is
// null.
func (c Change) MarshalJSON() ([]byte, error) {
	out := struct {
		Action      Action          `json:"action"`
		Group       GroupRef        `json:"group"`
		From        *GroupRef       `json:"from,omitempty"`
		Connector   *ConnectorRef   `json:"connector,omitempty"`
		Application *ApplicationRef `json:"application,omitempty"`
		Name        string          `json:"name,omitempty"`
		Region      json.RawMessage `json:"region,omitempty"`
		OldRegion   json.RawMessage `json:"oldRegion,omitempty"`
	}{Action: c.Action, Group: c.Group, From: c.From, Connector: c.Connector, Application: c.Application, Name: c.Name}
	nullable := func(s string) json.RawMessage {
		if s == "" {
			return json.RawMessage("null")
		}
		b, _ := json.Marshal(s)
		return b
	}
	if c.Region != nil {
		out.Region = nullable(*c.Region)
	}
	if c.Action == SetRegion {
		out.OldRegion = nullable(c.OldRegion)
	}
	return json.Marshal(out)
}
