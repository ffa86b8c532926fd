import Foundation

/// Small SVG charts drawn by the platform itself (no chart library, no CDN). Each chart has a
/// title and description for screen readers; the page shows the same figures as a table.
enum Charts {
    static func escape(_ s: String) -> String { ErrorPage.escape(s) }

    /// Stacked monthly bars (accepted, rejected) with the compliance and on-time rates as lines on a 0–100% axis.
    static func monthly(title: String, months: [(label: String, accepted: Int, rejected: Int, compliance: Double?, onTime: Double?)]) -> String {
        let w = 720.0, h = 260.0, left = 56.0, right = 48.0, top = 20.0, bottom = 40.0
        let plotW = w - left - right, plotH = h - top - bottom
        let maxRows = max(1, months.map { $0.accepted + $0.rejected }.max() ?? 1)
        let step = niceStep(Double(maxRows))
        let topValue = ceil(Double(maxRows) / step) * step
        let slot = plotW / Double(max(months.count, 1))
        let barW = min(36, slot * 0.6)
        func y(_ v: Double) -> Double { top + plotH - v / topValue * plotH }
        func yRate(_ r: Double) -> Double { top + plotH - r * plotH }
        var svg = #"<svg class="chart" viewBox="0 0 \#(Int(w)) \#(Int(h))" role="img" aria-labelledby="c1t c1d" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<title id="c1t">\#(escape(title))</title><desc id="c1d">每月报送行数（通过与未通过）及合规率、及时率；数据同下表。</desc>"#
        var v = 0.0
        while v <= topValue + 0.001 {
            svg += #"<line x1="\#(left)" x2="\#(w - right)" y1="\#(fmt(y(v)))" y2="\#(fmt(y(v)))" class="grid"/>"#
            svg += #"<text x="\#(left - 6)" y="\#(fmt(y(v) + 4))" text-anchor="end" class="axis">\#(Int(v))</text>"#
            v += step
        }
        for r in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += #"<text x="\#(w - right + 6)" y="\#(fmt(yRate(r) + 4))" class="axis">\#(Int(r * 100))%</text>"#
        }
        var compliance: [String] = [], onTime: [String] = []
        for (i, m) in months.enumerated() {
            let cx = left + slot * (Double(i) + 0.5)
            let x = cx - barW / 2
            let accTop = y(Double(m.accepted)), rejTop = y(Double(m.accepted + m.rejected))
            svg += #"<rect x="\#(fmt(x))" y="\#(fmt(accTop))" width="\#(fmt(barW))" height="\#(fmt(top + plotH - accTop))" class="bar-ok"><title>\#(escape(m.label))：通过 \#(m.accepted) 行</title></rect>"#
            if m.rejected > 0 {
                svg += #"<rect x="\#(fmt(x))" y="\#(fmt(rejTop))" width="\#(fmt(barW))" height="\#(fmt(accTop - rejTop))" class="bar-bad"><title>\#(escape(m.label))：未通过 \#(m.rejected) 行</title></rect>"#
            }
            svg += #"<text x="\#(fmt(cx))" y="\#(fmt(h - bottom + 16))" text-anchor="middle" class="axis">\#(escape(String(m.label.suffix(5))))</text>"#
            if let c = m.compliance { compliance.append("\(fmt(cx)),\(fmt(yRate(c)))") }
            if let t = m.onTime { onTime.append("\(fmt(cx)),\(fmt(yRate(t)))") }
        }
        if compliance.count > 1 { svg += #"<polyline points="\#(compliance.joined(separator: " "))" class="line-compliance"/>"# }
        if onTime.count > 1 { svg += #"<polyline points="\#(onTime.joined(separator: " "))" class="line-ontime"/>"# }
        for p in compliance { let xy = p.split(separator: ","); svg += #"<circle cx="\#(xy[0])" cy="\#(xy[1])" r="3" class="dot-compliance"/>"# }
        for p in onTime { let xy = p.split(separator: ","); svg += #"<circle cx="\#(xy[0])" cy="\#(xy[1])" r="3" class="dot-ontime"/>"# }
        svg += "</svg>"
        return svg
    }

    /// Horizontal bars, largest first (rejection reasons).
    static func horizontal(title: String, bars: [(label: String, value: Int)]) -> String {
        let rowH = 26.0, left = 220.0, w = 720.0, right = 60.0
        let h = Double(max(bars.count, 1)) * rowH + 10
        let maxV = Double(max(1, bars.map(\.value).max() ?? 1))
        var svg = #"<svg class="chart" viewBox="0 0 \#(Int(w)) \#(Int(h))" role="img" aria-labelledby="c2t" xmlns="http://www.w3.org/2000/svg"><title id="c2t">\#(escape(title))</title>"#
        for (i, b) in bars.enumerated() {
            let y = 5 + Double(i) * rowH
            let bw = Double(b.value) / maxV * (w - left - right)
            svg += #"<text x="\#(left - 8)" y="\#(fmt(y + 17))" text-anchor="end" class="axis">\#(escape(String(b.label.prefix(18))))</text>"#
            svg += #"<rect x="\#(left)" y="\#(fmt(y + 4))" width="\#(fmt(max(bw, 1)))" height="\#(fmt(rowH - 8))" class="bar-bad"/>"#
            svg += #"<text x="\#(fmt(left + bw + 6))" y="\#(fmt(y + 17))" class="axis">\#(b.value)</text>"#
        }
        return svg + "</svg>"
    }

    static func niceStep(_ maxValue: Double) -> Double {
        let raw = maxValue / 4
        let magnitude = pow(10, floor(log10(max(raw, 1))))
        for m in [1.0, 2.0, 5.0, 10.0] where raw <= m * magnitude { return m * magnitude }
        return 10 * magnitude
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
}
