package graph

import "testing"

func TestOperationPermissions(t *testing.T) {
	tests := []struct {
		op             string
		delegated, app []string
		want           bool
	}{
		{OpAddConnectorDoc, []string{ScopeDirectoryAccessAsUserAll}, nil, true},
		{OpAddConnectorDoc, nil, []string{ScopeDirectoryReadWriteAll}, true},
		{OpAddConnectorGroupMember, []string{ScopeDirectoryAccessAsUserAll}, nil, false},
		{OpAddConnectorGroupMember, []string{ScopeDirectoryReadWriteAll}, nil, true},
		{OpAddConnectorGroupMember, nil, []string{ScopeDirectoryReadWriteAll}, false},
		{OpListConnectorGroups, []string{ScopeDirectoryReadAll}, nil, false},
		{OpCreateConnectorGroup, nil, []string{ScopeDirectoryReadWriteAll}, true},
		{OpDeleteConnectorGroup, nil, []string{ScopeDirectoryReadWriteAll}, false},
		{"noSuchOperation", []string{ScopeDirectoryReadWriteAll}, []string{ScopeDirectoryReadWriteAll}, false},
	}
	for _, tt := range tests {
		if got := OperationPermissions(tt.op).Allows(tt.delegated, tt.app); got != tt.want {
			t.Errorf("%s allows(%v, %v) = %v, want %v", tt.op, tt.delegated, tt.app, got, tt.want)
		}
	}
}
