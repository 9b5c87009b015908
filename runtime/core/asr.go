package core

import (
	"fmt"
	"strings"
)

// An AsrSet is an Automated System Recovery backup of one server: its
// system state, boot and system volumes, the signatures of the disks it
// sees, and its cluster membership, as of the moment it was taken.
type AsrSet struct {
	ID            string    `json:"id"`
	Server        string    `json:"server"`
	Destination   string    `json:"destination"`
	Taken         int64     `json:"taken"`
	Edition       string    `json:"edition"`
	Version       string    `json:"version"`
	Domain        string    `json:"domain,omitempty"`
	Adapters      []Adapter `json:"adapters"`
	Components    []string  `json:"components,omitempty"`
	Exchange      string    `json:"exchange,omitempty"`
	ExchangeDrive string    `json:"exchange_drive,omitempty"`
	Cluster       string    `json:"cluster,omitempty"`
	Disks         []string  `json:"disks,omitempty"` // "label=signature" of the disks it sees
}

// AsrBackup takes an ASR backup of a running server (the Automated System
// Recovery Preparation Wizard).
func (w *World) AsrBackup(server, destination string) (*AsrSet, error) {
	s, err := w.Server(server)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(destination) == "" {
		return nil, Errf(ErrInvalid, "the ASR backup of %s needs a destination (a file such as \"\\\\\\\\BACKUP1\\\\asr\\\\%s.bkf\" or a tape)", s.Name, s.Name)
	}
	if err := s.MustRun("take an ASR backup of it"); err != nil {
		return nil, err
	}
	set := &AsrSet{
		ID:            fmt.Sprintf("ASR-%s-%d", s.Name, len(w.AsrSets)+1),
		Server:        s.Name,
		Destination:   destination,
		Taken:         w.Clock,
		Edition:       s.Edition,
		Version:       s.Version,
		Domain:        s.Domain,
		Components:    append([]string(nil), s.Components...),
		Exchange:      s.Exchange,
		ExchangeDrive: s.ExchangeDrive,
		Cluster:       s.Cluster,
	}
	for _, a := range s.Adapters {
		c := *a
		c.ExtraIPs = append([]string(nil), a.ExtraIPs...)
		c.Failed = false
		set.Adapters = append(set.Adapters, c)
	}
	var letters []string
	for _, d := range w.Disks {
		if d.Sees(s.Name) {
			set.Disks = append(set.Disks, d.Label+"="+d.Signature)
			letters = append(letters, d.Label)
		}
	}
	w.AsrSets = append(w.AsrSets, set)
	text := fmt.Sprintf("ASR backup %s of %s written to %s: system state, boot and system volumes", set.ID, s.Name, destination)
	if len(letters) > 0 {
		text += ", signatures of disks " + strings.Join(letters, ", ")
	}
	if s.Cluster != "" {
		text += ", membership of cluster " + s.Cluster
	}
	w.Emit(KindASR, s.Name, "", "%s; the ASR floppy holds the disk configuration", text)
	for _, e := range w.engines {
		e.OnAsrBackup(s)
	}
	return set, nil
}

// AsrSet looks up an ASR set by id.
func (w *World) AsrSet(id string) (*AsrSet, error) {
	for _, s := range w.AsrSets {
		if strings.EqualFold(s.ID, id) {
			return s, nil
		}
	}
	ids := make([]string, len(w.AsrSets))
	for i, s := range w.AsrSets {
		ids[i] = s.ID
	}
	return nil, NotFound("ASR set", id, ids)
}

// AsrRestore rebuilds a down server from its ASR set (F2 in text-mode
// Setup, the ASR floppy, the backup media) and boots it; a cluster node
// rejoins its cluster.
func (w *World) AsrRestore(server, id string) error {
	s, err := w.Server(server)
	if err != nil {
		return err
	}
	set, err := w.AsrSet(id)
	if err != nil {
		return err
	}
	if !strings.EqualFold(set.Server, s.Name) {
		return Errf(ErrInvalid, "ASR set %s is a backup of %s, not %s; restore a server only from its own ASR set", set.ID, set.Server, s.Name)
	}
	if s.Running {
		return Errf(ErrState, "server %s is running; ASR restores a server that is down (shut it down or wait for the failure)", s.Name)
	}
	for _, a := range set.Adapters {
		if a.IP != "" {
			if u, ok := w.AddrConflict(a.IP, AddrAdapter, s.Name+" "+a.Name); ok {
				return Errf(ErrConflict, "restoring %s would bring back address %s, now used by %s; free the address first", s.Name, a.IP, u.Describe())
			}
		}
	}
	for _, e := range w.engines {
		if err := e.CheckAsrRestore(s, set); err != nil {
			return err
		}
	}
	// Rebuild the server as of the set.
	w.TouchServer(s)
	for _, a := range s.Adapters {
		owner := s.Name + " " + a.Name
		mine := func(u AddrUse) bool { return u.Owner == owner && (u.Kind == AddrAdapter || u.Kind == AddrExtra) }
		if a.IP != "" {
			w.ReleaseAddr(a.IP, mine)
		}
		for _, x := range a.ExtraIPs {
			w.ReleaseAddr(x, mine)
		}
	}
	s.Adapters = nil
	for i := range set.Adapters {
		a := set.Adapters[i]
		a.ExtraIPs = append([]string(nil), a.ExtraIPs...)
		s.Adapters = append(s.Adapters, &a)
		owner := s.Name + " " + a.Name
		if a.IP != "" {
			w.ClaimAddr(a.IP, AddrUse{Kind: AddrAdapter, Owner: owner})
		}
		for _, x := range a.ExtraIPs {
			w.ClaimAddr(x, AddrUse{Kind: AddrExtra, Owner: owner})
		}
	}
	s.Edition, s.Version, s.Domain = set.Edition, set.Version, set.Domain
	s.Components = append([]string(nil), set.Components...)
	s.Exchange, s.ExchangeDrive = set.Exchange, set.ExchangeDrive
	s.NoSystemDisk = false
	w.Emit(KindASR, s.Name, "", "ASR restore of %s from %s (taken %s): disks repartitioned, disk signatures rewritten, system and boot volumes restored", s.Name, set.ID, FormatClock(set.Taken))
	for _, e := range w.engines {
		e.OnAsrRestoring(s)
	}
	s.Running = true
	w.Emit(KindWorld, s.Name, "", "server %s booted after the ASR restore", s.Name)
	for _, e := range w.engines {
		e.OnServerUp(s)
	}
	return nil
}
