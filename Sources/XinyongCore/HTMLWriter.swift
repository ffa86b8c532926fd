/// HTML written directly, for what is on every request (the site's layout) and what repeats per
/// row (the search page); also the platform's one HTML escaping (articles, error pages, charts). The
/// template library resolves every name through reflection and dynamic casts
/// up the context stack: 1.3–3.8 ms for a page of 20 results, against about 0.1 ms written here
/// (Plot, the other HTML library on the list, measured the same as the templates). Markup can only
/// be a `StaticString` or HTML already written (`rendered`: a template's or another writer's
/// output), so nothing received or stored reaches the page unescaped; every value goes through
/// `text`, which escapes exactly as the templates' `{{…}}` do.
public struct HTMLWriter {
    public private(set) var html = ""

    public init(capacity: Int = 4096) { html.reserveCapacity(capacity) }

    /// Markup, fixed in the source.
    public mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { html += String(decoding: $0, as: UTF8.self) }
    }

    /// A value, escaped for element content and quoted attribute values.
    public mutating func text(_ value: String) {
        // Most values (names, codes, dates) have nothing to escape: appended whole.
        if !value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
            html += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": html += "&amp;"
            case "<": html += "&lt;"
            case ">": html += "&gt;"
            case "\"": html += "&quot;"
            case "'": html += "&#39;"
            default: html.unicodeScalars.append(scalar)
            }
        }
    }

    /// HTML already written: a page body from the templates (whose `{{…}}` escape as ``text``
    /// does) or from another writer. Never for a value received or stored.
    public mutating func rendered(_ html: String) {
        self.html += html
    }

    public static func escape(_ value: String) -> String {
        var w = HTMLWriter(capacity: value.utf8.count)
        w.text(value)
        return w.html
    }
}
