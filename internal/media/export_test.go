package media

// Unexported helpers that the black-box tests check directly.
var (
	Orient          = orient
	ExifOrientation = exifOrientation
	Resize          = resize
)
