package admin

import (
	"errors"
	"net/http"
	"strconv"

	"warta/internal/mail"
	"warta/internal/model"
	"warta/internal/store"
)

// The mail screen (admins): the queue, newest first, with what became of
// each mail (sent, waiting for a retry with the server's last answer, or
// given up) and a button to send a failed one again.

type mailListView struct {
	*Base
	Mails   []model.Mail
	Status  model.MailStatus
	MailOn  bool
	Counts  map[model.MailStatus]int
	Pager   *Pager
	Filters []mailFilter
}

type mailFilter struct {
	Label, URL string
	Current    bool
}

const mailPerPage = 50

func (a *Admin) mailList(w http.ResponseWriter, q *request) error {
	ctx := q.Context()
	status := model.MailStatus(q.URL.Query().Get("status"))
	switch status {
	case "", model.MailPending, model.MailSent, model.MailFailed:
	default:
		status = ""
	}
	page, _ := strconv.Atoi(q.URL.Query().Get("page"))
	page = max(page, 1)
	list, err := a.st.ListMail(ctx, store.MailQuery{Status: status, Limit: mailPerPage, Offset: (page - 1) * mailPerPage})
	if err != nil {
		return err
	}
	v := &mailListView{Base: a.base(q, q.L.T("admin.mail.title"), "mail"), Mails: list, Status: status,
		MailOn: a.opt.Mail.Enabled(), Counts: map[model.MailStatus]int{}}
	for _, s := range []model.MailStatus{"", model.MailPending, model.MailSent, model.MailFailed} {
		n, err := a.st.CountMail(ctx, s)
		if err != nil {
			return err
		}
		v.Counts[s] = n
		u := "/admin/mail"
		if s != "" {
			u += "?status=" + string(s)
		}
		v.Filters = append(v.Filters, mailFilter{Label: q.L.T("admin.mail.filter."+string(orAll(s)), q.L.Int(n)), URL: u, Current: s == status})
	}
	v.Pager = pager(q, page, v.Counts[status], mailPerPage)
	a.render(w, q, http.StatusOK, "mail", v)
	return nil
}

func orAll(s model.MailStatus) model.MailStatus {
	if s == "" {
		return "all"
	}
	return s
}

func (a *Admin) retryMail(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.opt.Mail.Retry(q.Context(), q.User, id); err != nil {
		return err
	}
	return redirect(w, q, "/admin/mail", "mail_retried")
}

// testMail queues a short mail to the admin who pressed the button.
func (a *Admin) testMail(w http.ResponseWriter, q *request) error {
	err := a.opt.Mail.SendTest(q.Context(), q.User)
	if errors.Is(err, mail.ErrDisabled) {
		return &httpError{status: http.StatusConflict, key: "admin.mail.off_error"}
	}
	if err != nil {
		return err
	}
	return redirect(w, q, "/admin/mail", "mail_test_queued")
}
