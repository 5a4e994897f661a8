package comment

import "warta/internal/model"

// ThreadOptions shape the threads Thread builds.
type ThreadOptions struct {
	// MaxDepth is how many levels a thread shows (the site's
	// ThreadDepth); below 1 counts as 1, a flat list. A reply that would
	// sit deeper joins the replies of its deepest ancestor that still
	// takes replies.
	MaxDepth int
	// Own is the reader's own comment while it waits for a moderator,
	// shown to them alone; nil for none. It comes after the list, as the
	// newest comment the reader knows of.
	Own *model.Comment
}

// Node is one comment placed in a thread.
type Node struct {
	Comment *model.Comment
	// Index is the comment's position in Thread's list; len(list) for
	// ThreadOptions.Own.
	Index int
	// Depth is 0 for a comment at the top level, 1 for a reply to it, …
	Depth int
	// CanReply: the comment is approved and a reply to it would still
	// show under it (its depth is below the last level).
	CanReply bool
	Replies  []*Node
}

// Thread arranges an article's comments, oldest first as the store lists
// them, into threads: the top-level comments in order, each with its
// replies in order. Only approved comments and Own are shown. A comment
// whose parent is not shown (removed, held, filed as spam, or listed after
// it) starts a thread of its own. Thread reads and changes nothing else.
func Thread(list []*model.Comment, o ThreadOptions) []*Node {
	maxDepth := max(1, o.MaxDepth)
	nodes := make(map[int64]*Node, len(list)+1)
	placedUnder := map[int64]*Node{} // a reply's node → the node it was placed under
	var roots []*Node
	place := func(c *model.Comment, index int) {
		n := &Node{Comment: c, Index: index}
		nodes[c.ID] = n
		parent := parentNode(c, nodes)
		// Deeper than the site allows: the reply joins the deepest
		// allowed ancestor's replies (or the top level).
		for parent != nil && parent.Depth >= maxDepth-1 {
			parent = placedUnder[parent.Comment.ID]
		}
		if parent == nil {
			roots = append(roots, n)
			return
		}
		placedUnder[c.ID] = parent
		n.Depth = parent.Depth + 1
		parent.Replies = append(parent.Replies, n)
	}
	for i, c := range list {
		if c.Status == model.CommentApproved && (o.Own == nil || c.ID != o.Own.ID) {
			place(c, i)
		}
	}
	if o.Own != nil {
		place(o.Own, len(list))
	}
	for _, n := range nodes {
		n.CanReply = n.Comment.Status == model.CommentApproved && n.Depth < maxDepth-1
	}
	return roots
}

// parentNode is the node of c's parent, when it is already placed.
func parentNode(c *model.Comment, nodes map[int64]*Node) *Node {
	if c.ParentID == nil {
		return nil
	}
	return nodes[*c.ParentID]
}
