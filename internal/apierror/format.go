package apierror

import "github.com/klaviyo-mock/mockserver/internal/schema"

// FormatDetail is Klaviyo's answer to a value not in the form f asks for
// (an email address, a phone number), wherever a value is checked: a
// request body or a control document.
func FormatDetail(f schema.Format) string {
	switch f {
	case schema.FormatEmail:
		return DetailInvalidEmail
	case schema.FormatPhone:
		return DetailInvalidPhone
	}
	return "Not in the form this attribute takes."
}
