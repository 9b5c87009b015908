package report_test

import "clusterscript/runtime/mscs"

func mscsGroup(name string) mscs.GroupSpec { return mscs.GroupSpec{Name: name} }
