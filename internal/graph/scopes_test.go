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
		// Applications: the directory's read permissions read them, of
		// either kind; the relationship takes delegated
		// Directory.ReadWrite.All alone.
		{OpListApplications, []string{ScopeDirectoryReadAll}, nil, true},
		{OpListApplications, nil, []string{ScopeApplicationReadAll}, true},
		{OpGetApplication, []string{ScopeApplicationReadAll}, nil, true},
		{OpGetApplication, nil, []string{ScopeApplicationReadWriteOwnedBy}, true},
		{OpGetApplication, []string{ScopeDirectoryAccessAsUserAll}, nil, false},
		{OpListConnectorGroupApplications, []string{ScopeDirectoryReadAll}, nil, false},
		{OpListConnectorGroupApplications, []string{ScopeDirectoryReadWriteAll}, nil, true},
		{OpSetApplicationConnectorGroup, []string{ScopeApplicationReadWriteAll}, nil, false},
		{OpSetApplicationConnectorGroup, nil, []string{ScopeDirectoryReadWriteAll}, false},
		{OpSetApplicationConnectorGroup, []string{ScopeDirectoryReadWriteAll}, nil, true},
		{OpAddConnectorGroupApplication, []string{ScopeDirectoryReadWriteAll}, nil, true},
		{OpGetApplicationConnectorGroup, []string{ScopeApplicationReadAll}, nil, false},
		{OpRemoveApplicationConnectorGroup, []string{ScopeDirectoryReadWriteAll}, nil, true},
		{"noSuchOperation", []string{ScopeDirectoryReadWriteAll}, []string{ScopeDirectoryReadWriteAll}, false},
	}
	for _, tt := range tests {
		if got := OperationPermissions(tt.op).Allows(tt.delegated, tt.app); got != tt.want {
			t.Errorf("%s allows(%v, %v) = %v, want %v", tt.op, tt.delegated, tt.app, got, tt.want)
		}
	}
}
