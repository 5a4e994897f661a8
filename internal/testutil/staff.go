package testutil

import (
	"context"
	"sync"
	"testing"
	"time"

	"warta/internal/auth"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
)

// Password is the password of every account the helpers here make.
const Password = "rahasia-sekali"

// PasswordHash is the hash of Password, made once: argon2id is slow on
// purpose, and tests make many accounts.
var PasswordHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(Password)
	if err != nil {
		panic(err)
	}
	return h
})

// Staffed is a started site with one account per role
// (ROLE@example.com, Password).
type Staffed struct {
	*Site
	Clock *Clock
	Users map[model.Role]*model.User
}

// StartStaffed runs Warta on st with the demo content (unless an option
// says otherwise), a settable clock and one account per role.
func StartStaffed(t *testing.T, st *sqlstore.Store, opts ...func(*SiteOptions)) *Staffed {
	t.Helper()
	clock := NewClock(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
	o := SiteOptions{Demo: true, Now: clock.Now}
	for _, f := range opts {
		f(&o)
	}
	n := &Staffed{Site: StartSite(t, st, o), Clock: clock, Users: map[model.Role]*model.User{}}
	for _, r := range model.Roles {
		u := &model.User{Email: string(r) + "@example.com", Name: string(r), Slug: string(r), Role: r, Active: true, PasswordHash: PasswordHash()}
		if err := st.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		n.Users[r] = u
	}
	return n
}

// LoginAs signs in the account of role r.
func (n *Staffed) LoginAs(t *testing.T, r model.Role) *Newsroom {
	t.Helper()
	return n.Login(t, string(r)+"@example.com", Password)
}
