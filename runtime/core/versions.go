package core

// VersionRank is a Windows version's place in release order (Versions):
// 0 for 2003, rising with each release; -1 for a version it does not know.
func VersionRank(v string) int {
	for i, x := range Versions {
		if x == v {
			return i
		}
	}
	return -1
}

// VersionAtLeast reports whether version v is since or a later release;
// an unknown v is never at least anything.
func VersionAtLeast(v, since string) bool {
	r := VersionRank(v)
	return r >= 0 && r >= VersionRank(since)
}

// VersionName is how messages name a version: "Windows Server 2012 R2".
func VersionName(v string) string { return "Windows Server " + v }
