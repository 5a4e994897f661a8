package comment_test

import (
	"fmt"
	"strings"
	"testing"

	"warta/internal/comment"
	"warta/internal/model"
)

// c makes comment id answering parent (0: none) in status.
func c(id, parent int64, status model.CommentStatus) *model.Comment {
	x := &model.Comment{ID: id, Status: status}
	if parent != 0 {
		x.ParentID = &parent
	}
	return x
}

func ok(id, parent int64) *model.Comment { return c(id, parent, model.CommentApproved) }

// shape writes threads as "1[2[3] 4] 5": each comment's id, "+" when it
// takes replies, its replies in brackets. flat lists id:depth:index in
// the order the page shows them.
func shape(nodes []*comment.Node) (tree, flat string) {
	var t, f strings.Builder
	var walk func([]*comment.Node)
	walk = func(ns []*comment.Node) {
		for i, n := range ns {
			if i > 0 {
				t.WriteByte(' ')
			}
			fmt.Fprintf(&t, "%d", n.Comment.ID)
			if n.CanReply {
				t.WriteByte('+')
			}
			fmt.Fprintf(&f, "%d:%d:%d ", n.Comment.ID, n.Depth, n.Index)
			if len(n.Replies) > 0 {
				t.WriteByte('[')
				walk(n.Replies)
				t.WriteByte(']')
			}
		}
	}
	walk(nodes)
	return t.String(), strings.TrimSpace(f.String())
}

func TestThread(t *testing.T) {
	chain := []*model.Comment{ok(1, 0), ok(2, 1), ok(3, 2), ok(4, 3), ok(5, 4)}
	cases := []struct {
		name string
		list []*model.Comment
		opt  comment.ThreadOptions
		tree string
		flat string
	}{
		{name: "empty", list: nil, opt: comment.ThreadOptions{MaxDepth: 5}, tree: "", flat: ""},
		{name: "threads in order, replies in order",
			list: []*model.Comment{ok(1, 0), ok(2, 0), ok(3, 1), ok(4, 2), ok(5, 1), ok(6, 3)},
			opt:  comment.ThreadOptions{MaxDepth: 5},
			tree: "1+[3+[6+] 5+] 2+[4+]", flat: "1:0:0 3:1:2 6:2:5 5:1:4 2:0:1 4:1:3"},
		{name: "depth limit: deeper replies join the deepest ancestor that takes replies",
			list: chain, opt: comment.ThreadOptions{MaxDepth: 3},
			tree: "1+[2+[3 4 5]]", flat: "1:0:0 2:1:1 3:2:2 4:2:3 5:2:4"},
		{name: "depth 2", list: chain, opt: comment.ThreadOptions{MaxDepth: 2},
			tree: "1+[2 3 4 5]", flat: "1:0:0 2:1:1 3:1:2 4:1:3 5:1:4"},
		{name: "depth 1 is flat", list: chain, opt: comment.ThreadOptions{MaxDepth: 1},
			tree: "1 2 3 4 5", flat: "1:0:0 2:0:1 3:0:2 4:0:3 5:0:4"},
		{name: "depth 0 counts as 1", list: chain, opt: comment.ThreadOptions{},
			tree: "1 2 3 4 5", flat: "1:0:0 2:0:1 3:0:2 4:0:3 5:0:4"},
		{name: "deep enough", list: chain, opt: comment.ThreadOptions{MaxDepth: 10},
			tree: "1+[2+[3+[4+[5+]]]]", flat: "1:0:0 2:1:1 3:2:2 4:3:3 5:4:4"},
		{name: "orphans: parent removed, held, spam, trash, or listed later",
			list: []*model.Comment{ok(1, 0), ok(2, 99), c(3, 0, model.CommentPending), ok(4, 3),
				c(5, 0, model.CommentSpam), ok(6, 5), c(7, 1, model.CommentTrash), ok(8, 7), ok(9, 10), ok(10, 1)},
			opt:  comment.ThreadOptions{MaxDepth: 5},
			tree: "1+[10+] 2+ 4+ 6+ 8+ 9+", flat: "1:0:0 10:1:9 2:0:1 4:0:3 6:0:5 8:0:7 9:0:8"},
		{name: "the reader's pending reply sits last under its parent, and takes no replies",
			list: []*model.Comment{ok(1, 0), ok(2, 1), ok(3, 0), ok(4, 1)},
			opt:  comment.ThreadOptions{MaxDepth: 5, Own: c(9, 1, model.CommentPending)},
			tree: "1+[2+ 4+ 9] 3+", flat: "1:0:0 2:1:1 4:1:3 9:1:4 3:0:2"},
		{name: "the reader's pending comment at the top level comes last",
			list: []*model.Comment{ok(1, 0), ok(2, 0)},
			opt:  comment.ThreadOptions{MaxDepth: 5, Own: c(9, 0, model.CommentPending)},
			tree: "1+ 2+ 9", flat: "1:0:0 2:0:1 9:0:2"},
		{name: "the reader's pending reply under a reply at the last level joins its ancestor",
			list: chain, opt: comment.ThreadOptions{MaxDepth: 3, Own: c(9, 5, model.CommentPending)},
			tree: "1+[2+[3 4 5 9]]", flat: "1:0:0 2:1:1 3:2:2 4:2:3 5:2:4 9:2:5"},
		{name: "other readers' pending comments stay hidden; the reader's own is not shown twice",
			list: []*model.Comment{ok(1, 0), c(2, 1, model.CommentPending), c(9, 1, model.CommentPending)},
			opt:  comment.ThreadOptions{MaxDepth: 5, Own: c(9, 1, model.CommentPending)},
			tree: "1+[9]", flat: "1:0:0 9:1:3"},
		{name: "the reader's pending comment whose parent is gone starts a thread",
			list: []*model.Comment{ok(1, 0)},
			opt:  comment.ThreadOptions{MaxDepth: 5, Own: c(9, 42, model.CommentPending)},
			tree: "1+ 9", flat: "1:0:0 9:0:1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tree, flat := shape(comment.Thread(tc.list, tc.opt))
			if tree != tc.tree || flat != tc.flat {
				t.Errorf("got  %q  %q\nwant %q  %q", tree, flat, tc.tree, tc.flat)
			}
		})
	}
}

// Thread changes nothing it is given: the same list threads the same way
// again (the site keeps one list for many renders).
func TestThreadIsPure(t *testing.T) {
	list := []*model.Comment{ok(1, 0), ok(2, 1), ok(3, 2), ok(4, 0)}
	own := c(9, 2, model.CommentPending)
	before := fmt.Sprintf("%+v %+v %+v %+v %+v", *list[0], *list[1], *list[2], *list[3], *own)
	first, _ := shape(comment.Thread(list, comment.ThreadOptions{MaxDepth: 2, Own: own}))
	second, _ := shape(comment.Thread(list, comment.ThreadOptions{MaxDepth: 2, Own: own}))
	after := fmt.Sprintf("%+v %+v %+v %+v %+v", *list[0], *list[1], *list[2], *list[3], *own)
	if first != second || first != "1+[2 3 9] 4+" || before != after {
		t.Fatalf("first %q, second %q; comments changed: %v", first, second, before != after)
	}
}
