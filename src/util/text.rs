//! Text helpers every layer uses: cutting to a size limit on a character boundary, and making
//! workload text safe to show (no control characters).

/// Cut `text` to at most `max` bytes on a character boundary, marking the cut with `…`.
pub fn truncate_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let ellipsis = "…";
    let mut end = max.saturating_sub(ellipsis.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{ellipsis}", &text[..end])
}

/// Cut `text` to at most `max` characters, marking the cut with `…`.
pub fn truncate_chars(text: &str, max: usize) -> String {
    // Looks at most `max` characters ahead, not the whole (maybe megabyte) text.
    if text.char_indices().nth(max).is_none() {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// One line of workload text made safe for a single-line context: control characters and
/// line breaks become spaces.
pub fn sanitize_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// Multi-line text with every control character but the line break made a space: NULs, ANSI
/// escapes and carriage returns in workload text must not reach a terminal or a mail client.
pub fn sanitize_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_respects_char_boundaries() {
        let s = "日本語のテキスト";
        let cut = truncate_bytes(s, 10);
        assert!(cut.len() <= 10 && cut.ends_with('…'), "{cut}");
        assert_eq!(truncate_bytes("short", 10), "short");
        assert_eq!(truncate_chars("abcdef", 4), "abc…");
    }

    #[test]
    fn inline_text_has_no_line_breaks() {
        assert_eq!(sanitize_inline("a\nb\r\tc\u{7}"), "a b  c ");
        assert_eq!(sanitize_text("a\nb\r\u{0}\u{1b}[1mc"), "a\nb   [1mc");
    }
}
