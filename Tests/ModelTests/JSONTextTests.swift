import Foundation
import Model
import Testing

@Suite("JSON string literals")
struct JSONTextTests {
    @Test("escapes as Go's encoding/json does, HTML-safe by default")
    func escapesLikeGo() throws {
        let text = "a\"b\\c\nd\re\tf\u{01}g<h>i&j\u{2028}k\u{2029}é🙂"
        #expect(JSONText.quoted(text)
                == #""a\"b\\c\nd\re\tf\u0001g\u003ch\u003ei\u0026j\u2028k\u2029é🙂""#)
        #expect(JSONText.quoted(text, htmlSafe: false)
                == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g<h>i&j\u{2028}k\u{2029}é🙂\"")
        // Both forms decode back to the same text.
        for form in [JSONText.quoted(text), JSONText.quoted(text, htmlSafe: false)] {
            let decoded = try JSONSerialization.jsonObject(with: Data(form.utf8), options: .fragmentsAllowed) as? String
            #expect(decoded == text)
        }
        #expect(JSONText.quoted("plain") == "\"plain\"")
    }
}
