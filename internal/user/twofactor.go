package user

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"warta/internal/auth"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Two-factor sign-in (TOTP, RFC 6238: six digits, 30-second steps, the
// step before and after accepted for clocks that drift) with one-time
// recovery codes.
const (
	totpPeriod = 30
	// RecoveryCodes is how many recovery codes an account gets.
	RecoveryCodes = 10
	// MaxCodeFailures wrong codes in ThrottleWindow lock the code step of
	// an account (whoever types them: only someone who knew the password
	// got this far).
	MaxCodeFailures = 5
)

// ErrBadCode: the code is neither the authenticator's current one nor an
// unused recovery code.
var ErrBadCode = errors.New("user: wrong two-factor code")

// Enrolment is what the enrolment screen shows: the secret, as text and
// as the otpauth:// URI an authenticator app reads from a QR code.
type Enrolment struct {
	Secret, URI string
}

// Enrolment returns the actor's pending secret, making one if there is
// none, so that reloading the screen keeps the code the app scanned.
func (s *Service) Enrolment(ctx context.Context, actor *model.User) (*Enrolment, error) {
	var e *Enrolment
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		t, err := tx.UserTOTP(ctx, actor.ID)
		if err != nil {
			return err
		}
		st, err := tx.Settings(ctx)
		if err != nil {
			return err
		}
		if t.Pending == "" {
			key, err := totp.Generate(totp.GenerateOpts{Issuer: st.SiteName, AccountName: actor.Email, Period: totpPeriod})
			if err != nil {
				return err
			}
			t.Pending = key.Secret()
			if err := tx.SetTOTP(ctx, actor.ID, t); err != nil {
				return err
			}
		}
		e = &Enrolment{Secret: t.Pending, URI: otpURI(st.SiteName, actor.Email, t.Pending)}
		return nil
	})
	return e, err
}

// otpURI is the key URI authenticator apps read (the format pquerna/otp
// writes, made from a stored secret).
func otpURI(issuer, account, secret string) string {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return ""
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Secret: raw})
	if err != nil {
		return ""
	}
	return key.URL()
}

// codeStep is the step whose code code is, among the steps around now
// (-1 when none).
func codeStep(secret, code string, now time.Time) int64 {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return -1
	}
	step := now.Unix() / totpPeriod
	for _, d := range []int64{0, -1, 1} {
		at := time.Unix((step+d)*totpPeriod, 0)
		want, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && hmac.Equal([]byte(want), []byte(code)) {
			return step + d
		}
	}
	return -1
}

// ConfirmTOTP turns two-factor on with the pending secret when code is
// its current code, and returns the new recovery codes (shown once).
func (s *Service) ConfirmTOTP(ctx context.Context, actor *model.User, code string) ([]string, error) {
	now := s.now()
	codes, hashes := newRecoveryCodes()
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		t, err := tx.UserTOTP(ctx, actor.ID)
		if err != nil {
			return err
		}
		step := int64(-1)
		if t.Pending != "" {
			step = codeStep(t.Pending, code, now)
		}
		if step < 0 {
			var errs valid.Errors
			errs.Add("code", "invalid", "admin.2fa.bad_code")
			return errs.Err()
		}
		if err := tx.SetTOTP(ctx, actor.ID, store.TOTP{Secret: t.Pending, LastStep: step}); err != nil {
			return err
		}
		return tx.ReplaceRecoveryCodes(ctx, actor.ID, hashes, now)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// NewRecoveryCodes replaces the actor's recovery codes (two-factor on),
// after checking their password.
func (s *Service) NewRecoveryCodes(ctx context.Context, actor *model.User, password string) ([]string, error) {
	if err := s.checkOwnPassword(ctx, actor, password); err != nil {
		return nil, err
	}
	codes, hashes := newRecoveryCodes()
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		t, err := tx.UserTOTP(ctx, actor.ID)
		if err != nil {
			return err
		}
		if t.Secret == "" {
			return valid.ErrForbidden
		}
		return tx.ReplaceRecoveryCodes(ctx, actor.ID, hashes, s.now())
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP turns the actor's two-factor off, after checking their
// password, and forgets their recovery codes.
func (s *Service) DisableTOTP(ctx context.Context, actor *model.User, password string) error {
	if err := s.checkOwnPassword(ctx, actor, password); err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetTOTP(ctx, actor.ID, store.TOTP{}); err != nil {
			return err
		}
		return tx.ReplaceRecoveryCodes(ctx, actor.ID, nil, s.now())
	})
}

// checkOwnPassword is the password check before a change to sign-in
// itself: a session left open on a shared computer must not be enough.
func (s *Service) checkOwnPassword(ctx context.Context, actor *model.User, password string) error {
	u, err := s.st.UserByID(ctx, actor.ID)
	if err != nil {
		return err
	}
	if err := s.gate.Check(ctx, u.PasswordHash, password); errors.Is(err, auth.ErrMismatch) {
		var errs valid.Errors
		errs.Add("password", "mismatch", "admin.password.wrong_current")
		return errs.Err()
	} else if err != nil {
		return err
	}
	return nil
}

// RecoveryCodesLeft counts the actor's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, actor *model.User) (int, error) {
	return s.st.UnusedRecoveryCodes(ctx, actor.ID)
}

// CodeInput is the second step of a login: the account whose password
// was right (LoginResult.NeedCode), and the code typed.
type CodeInput struct {
	UserID    int64
	Code      string
	Addr      netip.Addr
	Device    string
	Remember  bool
	UserAgent string
}

// LoginCode finishes a two-factor login: the code is an authenticator
// code not used before, or an unused recovery code (then used up). Wrong
// codes count against the account (MaxCodeFailures in ThrottleWindow),
// atomically, as passwords do. It returns ErrBadCode or a
// *ThrottledError when refused.
func (s *Service) LoginCode(ctx context.Context, in CodeInput) (*LoginResult, error) {
	now := s.now()
	keep := context.WithoutCancel(ctx)
	u, err := s.st.UserByID(ctx, in.UserID)
	if err != nil {
		return nil, err
	}
	if !u.Active || !u.TwoFactor {
		return nil, ErrBadCode
	}
	key := "2fa:" + strconv.FormatInt(u.ID, 10)
	attempt := randomToken(12)
	full, oldest, err := s.st.ReserveLoginAttempt(keep, attempt,
		[]store.LoginLimit{{Key: key, Max: MaxCodeFailures, Since: now.Add(-ThrottleWindow)}}, now, now.Add(-24*time.Hour))
	if err != nil {
		return nil, err
	}
	if full >= 0 {
		return nil, &ThrottledError{Until: oldest.Add(ThrottleWindow), By: "code"}
	}
	ok := false
	err = s.st.InTx(keep, func(tx store.Tx) error {
		t, err := tx.UserTOTP(ctx, u.ID)
		if err != nil {
			return err
		}
		if step := codeStep(t.Secret, in.Code, now); step >= 0 {
			ok, err = tx.TakeTOTPStep(ctx, u.ID, step)
			return err
		}
		if c := normalRecoveryCode(in.Code); c != "" {
			ok, err = tx.UseRecoveryCode(ctx, u.ID, hashCode(c), now)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrBadCode
	}
	li := LoginInput{Email: u.Email, Addr: in.Addr, Remember: in.Remember, UserAgent: in.UserAgent}
	if in.Device != "" && len(in.Device) <= 100 {
		if uid, err := s.st.LoginDeviceUser(ctx, sessionID(in.Device), now.Add(-DeviceLifetime)); err == nil && uid == u.ID {
			li.Device = in.Device
		}
	}
	return s.startSession(keep, u, attempt, key, li, now)
}

// newRecoveryCodes makes RecoveryCodes codes (xxxxx-xxxxx, lowercase
// letters and digits without look-alikes: about 50 bits each) and their
// hashes.
func newRecoveryCodes() (codes, hashes []string) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	for range RecoveryCodes {
		b := make([]byte, 10)
		rand.Read(b)
		var sb strings.Builder
		for i, x := range b {
			if i == 5 {
				sb.WriteByte('-')
			}
			sb.WriteByte(alphabet[int(x)%len(alphabet)])
		}
		c := sb.String()
		codes = append(codes, c)
		hashes = append(hashes, hashCode(normalRecoveryCode(c)))
	}
	return codes, hashes
}

// normalRecoveryCode is a typed recovery code without spaces, dashes or
// capitals ("" when it cannot be one).
func normalRecoveryCode(c string) string {
	c = strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(c)))
	if len(c) != 10 {
		return ""
	}
	return c
}

func hashCode(c string) string {
	sum := sha256.Sum256([]byte("warta recovery code\x00" + c))
	return hex.EncodeToString(sum[:])
}

// ResetTwoFactor turns another account's two-factor off (admins): for
// staff who lost their phone and their recovery codes. Their sessions
// end, so whoever holds one signs in again, with the password alone
// until they enrol again (at once, when their role requires it).
func (s *Service) ResetTwoFactor(ctx context.Context, actor *model.User, userID int64) error {
	if !isAdmin(actor) {
		return valid.ErrForbidden
	}
	return s.st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.UserByID(ctx, userID); err != nil {
			return err
		}
		if err := tx.SetTOTP(ctx, userID, store.TOTP{}); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, userID, nil, s.now()); err != nil {
			return err
		}
		return tx.DeleteUserSessions(ctx, userID, "")
	})
}
