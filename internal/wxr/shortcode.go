package wxr

import (
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// attachment is a WordPress media item: Warta keeps its address as it is
// (the files stay where WordPress serves them; nothing is downloaded).
type attachment struct {
	URL, Alt, Caption string
	Parent            int64
	Order             int
}

var (
	captionRE   = regexp.MustCompile(`(?is)\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]`)
	captionImg  = regexp.MustCompile(`(?is)^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$`)
	shortcodeRE = regexp.MustCompile(`\[(\[?)(/?)([A-Za-z][\w-]*)((?:\s[^\[\]]*)?)(/?)\](\]?)`)
	enclosedRE  = regexp.MustCompile(`(?is)\[(embed|video|audio)\b([^\]]*)\](.*?)\[/(?:embed|video|audio)\]`)
	attrRE      = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"\]]+)`)
)

// knownShortcodes are WordPress's own and the most common plugins'; their
// brackets are removed even when they carry no attributes.
var knownShortcodes = map[string]bool{
	"caption": true, "wp_caption": true, "gallery": true, "audio": true, "video": true, "playlist": true,
	"embed": true, "code": true, "sourcecode": true, "source": true, "youtube": true, "vimeo": true,
	"twitter": true, "tweet": true, "instagram": true, "googlemaps": true, "contact-form": true,
	"contact-form-7": true, "archives": true, "blip.tv": true, "dailymotion": true, "soundcloud": true,
	"slideshow": true, "polldaddy": true, "wpvideo": true, "recipe": true, "quote": true, "pullquote": true,
}

func shortcodeAttrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attrRE.FindAllStringSubmatch(s, -1) {
		switch {
		case m[1] != "":
			out[strings.ToLower(m[1])] = m[2]
		case m[3] != "":
			out[strings.ToLower(m[3])] = m[4]
		default:
			out[strings.ToLower(m[5])] = m[6]
		}
	}
	return out
}

// expandShortcodes replaces WordPress shortcodes with the HTML they stand
// for, so that ToMarkdown sees plain HTML: [caption] becomes a <figure>
// with a <figcaption>, [gallery] the post's images as figures, [embed],
// [video] and [audio] links to the media; the brackets of other
// shortcodes are dropped and what they enclose is kept.
func expandShortcodes(content string, postID int64, media map[int64]attachment) string {
	content = expandCaptions(content)
	content = expandEnclosedMedia(content)
	return expandOthers(content, postID, media)
}

// expandCaptions turns [caption]<img> text[/caption] into a figure.
func expandCaptions(content string) string {
	return captionRE.ReplaceAllStringFunc(content, func(m string) string {
		p := captionRE.FindStringSubmatch(m)
		attrs := shortcodeAttrs(p[2])
		inner := captionImg.FindStringSubmatch(p[3])
		if inner == nil {
			return p[3]
		}
		caption := attrs["caption"]
		if caption == "" {
			caption = inner[2]
		}
		return "\n\n<figure>" + inner[1] + "<figcaption>" + caption + "</figcaption></figure>\n\n"
	})
}

// expandEnclosedMedia turns [embed]URL[/embed] (and [video], [audio])
// into a link to the media.
func expandEnclosedMedia(content string) string {
	return enclosedRE.ReplaceAllStringFunc(content, func(m string) string {
		p := enclosedRE.FindStringSubmatch(m)
		u := strings.TrimSpace(p[3])
		if u == "" || strings.Contains(u, "<") {
			u = mediaAttr(shortcodeAttrs(p[2]))
		}
		return mediaLink(u)
	})
}

// expandOthers handles the remaining shortcodes: [gallery] and
// self-closing media become HTML, other shortcodes' brackets go (their
// content stays), [[escaped]] ones show as written, and bracketed text
// that is no shortcode is left alone.
func expandOthers(content string, postID int64, media map[int64]attachment) string {
	return shortcodeRE.ReplaceAllStringFunc(content, func(m string) string {
		p := shortcodeRE.FindStringSubmatch(m)
		if p[1] == "[" && p[6] == "]" {
			return m[1 : len(m)-1] // [[escaped]] shows as [escaped]
		}
		name := strings.ToLower(p[3])
		attrs := shortcodeAttrs(p[4])
		if !knownShortcodes[name] && len(attrs) == 0 && p[2] == "" {
			// Not a shortcode we know and nothing like one: bracketed text.
			if !strings.Contains(p[4], "=") {
				return m
			}
		}
		if p[2] == "/" {
			if knownShortcodes[name] || strings.Contains(content, "["+p[3]) {
				return ""
			}
			return m
		}
		switch name {
		case "gallery":
			return gallery(attrs, postID, media)
		case "video", "audio", "embed":
			return mediaLink(mediaAttr(attrs))
		}
		return ""
	})
}

func mediaAttr(attrs map[string]string) string {
	for _, k := range []string{"src", "url", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a"} {
		if v := attrs[k]; v != "" {
			return v
		}
	}
	return ""
}

func mediaLink(u string) string {
	u = strings.TrimSpace(u)
	if u == "" {
		return ""
	}
	e := html.EscapeString(u)
	return "\n\n<p><a href=\"" + e + "\">" + e + "</a></p>\n\n"
}

// gallery lists the gallery's images as figures.
func gallery(attrs map[string]string, postID int64, media map[int64]attachment) string {
	var b strings.Builder
	for _, id := range galleryIDs(attrs, postID, media) {
		a, ok := media[id]
		if !ok || a.URL == "" || !isImage(a.URL) {
			continue
		}
		b.WriteString("\n\n<figure><img src=\"" + html.EscapeString(a.URL) + "\" alt=\"" + html.EscapeString(a.Alt) + "\">")
		if a.Caption != "" {
			b.WriteString("<figcaption>" + html.EscapeString(a.Caption) + "</figcaption>")
		}
		b.WriteString("</figure>\n\n")
	}
	return b.String()
}

// galleryIDs are the attachments a gallery shows: those its ids attribute
// names, or else those attached to the post (or to the post its id
// attribute names), in their menu order.
func galleryIDs(attrs map[string]string, postID int64, media map[int64]attachment) []int64 {
	var ids []int64
	if s := attrs["ids"]; s != "" {
		for _, f := range strings.Split(s, ",") {
			if id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		return ids
	}
	parent := postID
	if id, err := strconv.ParseInt(attrs["id"], 10, 64); err == nil {
		parent = id
	}
	for id, a := range media {
		if a.Parent == parent && parent != 0 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := media[ids[i]], media[ids[j]]
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return ids[i] < ids[j]
	})
	return ids
}

func isImage(u string) bool {
	l := strings.ToLower(u)
	if i := strings.IndexAny(l, "?#"); i >= 0 {
		l = l[:i]
	}
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}
