package mscs

// A profile is what a cluster's Windows version changes in the rules the
// engine enforces. A rule reads its field of the cluster's profile, never
// the version string, so a version's differences are listed in one place.
type profile struct {
	// dependenciesWhileOnline: a resource's dependencies may change while it
	// is online. Windows Server 2003 refuses with ERROR_RESOURCE_ONLINE;
	// Windows Server 2008 changed that (AddClusterResourceDependency).
	dependenciesWhileOnline bool
}

// profiles by Windows version (core.Versions).
var profiles = map[string]profile{
	"2003": {},
	"2008": {dependenciesWhileOnline: true},
	"2012": {dependenciesWhileOnline: true},
	"2016": {dependenciesWhileOnline: true},
	"2019": {dependenciesWhileOnline: true},
	"2022": {dependenciesWhileOnline: true},
}

// profile is the cluster's version profile; a version the table does not
// know (none is accepted at install) gets Windows Server 2003's.
func (c *Cluster) profile() profile {
	if p, ok := profiles[c.Version]; ok {
		return p
	}
	return profiles["2003"]
}
