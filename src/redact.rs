//! Redaction of credentials in text that leaves the account in a message, and removal of the
//! characters that hide or reorder what a reader sees. Conservative: it would rather hide a
//! harmless value than show a key.
//!
//! [`clean`] is the render boundary: every string of every format goes through it, so it must
//! leave ordinary ECS prose alone and cost next to nothing when there is nothing to find. One
//! case-insensitive scan for trigger words decides which passes run; each pass is a
//! hand-written linear scanner (no regex crate) that allocates only when it redacts something.

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use serde_json::Value;

/// Keys whose values are secrets in `key=value`, `key: value` and `"key": "value"` forms.
const SECRET_KEYS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "accesskey",
    "private_key",
    "credential",
    "authorization",
    "auth",
    "session",
    "cookie",
];

/// Prefixes of AWS access key ids (AKIA…, ASIA…: 20 upper-case letters and digits).
const AWS_KEY_PREFIXES: &[&str] = &["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"];

pub const REDACTED: &str = "[REDACTED]";

/// Redact only what is unmistakably a credential: URL passwords, access key ids and labelled
/// secret keys, GitHub/Slack tokens, webhook URLs, JWTs, private key blocks, authorization
/// headers, secret environment assignments and the password flags of common CLIs. For ECS
/// reasons and other evidence, where `key: value` text is ordinary prose ("ecr registry auth:
/// service call …").
pub fn redact_credentials(text: &str) -> String {
    scrub(text, false).into_owned()
}

/// Redact one log line or command: all of [`redact_credentials`], and also the values of
/// `password=`, `token: …` and the like.
pub fn redact(line: &str) -> String {
    scrub(line, true).into_owned()
}

/// The render boundary: [`strip_controls`], then [`redact_credentials`]. Idempotent.
pub fn clean(text: &str) -> String {
    clean_cow(text).into_owned()
}

/// [`clean`] on every string and object key of `value`, in place. Iterative: a deeply nested
/// value cannot overflow the stack.
pub fn clean_json(value: &mut Value) {
    let mut stack: Vec<&mut Value> = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => {
                if let Cow::Owned(c) = clean_cow(s) {
                    *s = c;
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(map) => {
                // Rebuilt only when a key changes (rare): the common case allocates nothing.
                if map.keys().any(|k| matches!(clean_cow(k), Cow::Owned(_))) {
                    let old = std::mem::take(map);
                    for (k, v) in old {
                        map.insert(clean(&k), v);
                    }
                }
                stack.extend(map.values_mut());
            }
            _ => {}
        }
    }
}

fn clean_cow(text: &str) -> Cow<'_, str> {
    // Controls first: a zero-width space inside a key must not hide it from the scanners.
    match strip_controls(text) {
        Cow::Borrowed(t) => scrub(t, false),
        Cow::Owned(t) => {
            let redacted = match scrub(&t, false) {
                Cow::Owned(r) => Some(r),
                Cow::Borrowed(_) => None,
            };
            Cow::Owned(redacted.unwrap_or(t))
        }
    }
}

/// Remove the invisible characters that reorder or hide text (bidirectional controls,
/// zero-width characters, tag characters and other format characters), and make other
/// control characters a space as `util::text::sanitize_text` does (an ESC must not reach a
/// terminal). Tabs, line feeds and CR LF pairs stay; a lone CR (it overprints a line) does not.
pub fn strip_controls(text: &str) -> Cow<'_, str> {
    // Printable ASCII, tabs and line feeds need nothing: most texts stop here.
    let Some(first) = text.bytes().position(|c| !matches!(c, b' '..=b'~' | b'\t' | b'\n')) else {
        return Cow::Borrowed(text);
    };
    // Only ASCII precedes `first`: it is a char boundary.
    let rest = &text[first..];
    let mut out: Option<String> = None;
    let mut chars = rest.char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let fix = if c == '\r' {
            if next == Some('\n') {
                Fix::Keep
            } else {
                Fix::Space
            }
        } else if is_hidden(c) {
            Fix::Drop
        } else if c.is_control() && c != '\t' && c != '\n' {
            Fix::Space
        } else {
            Fix::Keep
        };
        match (fix, &mut out) {
            (Fix::Keep, Some(o)) => o.push(c),
            (Fix::Keep, None) => {}
            (fix, o) => {
                let o = o.get_or_insert_with(|| {
                    let mut s = String::with_capacity(text.len());
                    s.push_str(&text[..first + k]);
                    s
                });
                if fix == Fix::Space {
                    o.push(' ');
                }
            }
        }
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

#[derive(Clone, Copy, PartialEq)]
enum Fix {
    Keep,
    Drop,
    Space,
}

/// Characters that render as nothing but change what a reader sees (Trojan Source, spoofed
/// names, text smuggled past a reader in tag characters). Variation selectors stay: Japanese
/// names and emoji need them.
fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{ad}'                        // soft hyphen
        | '\u{61c}'                     // Arabic letter mark
        | '\u{180e}'                    // Mongolian vowel separator
        | '\u{200b}'..='\u{200f}'       // zero-width space, (non-)joiner, LRM, RLM
        | '\u{202a}'..='\u{202e}'       // bidirectional embeddings and overrides
        | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
        | '\u{2066}'..='\u{206f}'       // bidirectional isolates, deprecated format characters
        | '\u{3164}' | '\u{ffa0}'       // Hangul fillers: blank "letters" used to spoof names
        | '\u{feff}'                    // byte order mark / zero-width no-break space
        | '\u{fff9}'..='\u{fffb}'       // interlinear annotation
        | '\u{1bca0}'..='\u{1bca3}'     // shorthand format controls
        | '\u{1d173}'..='\u{1d17a}'     // musical format controls
        | '\u{e0000}'..='\u{e007f}'     // tag characters
    )
}

/// Pass flags: which scanners a text needs.
const KEY_BLOCK: u16 = 1;
const URL: u16 = 1 << 1;
const HOOK: u16 = 1 << 2;
const TOKEN: u16 = 1 << 3;
const LABEL: u16 = 1 << 4;
const SCHEME: u16 = 1 << 5;
const CLI: u16 = 1 << 6;

/// Words without which a pass cannot match (ASCII case-insensitive), so the pass can be skipped.
const TRIGGERS: &[(&str, u16)] = &[
    ("PRIVATE KEY", KEY_BLOCK),
    ("://", URL),
    ("hooks.slack.com/", HOOK),
    ("discord.com/api/", HOOK),
    ("discordapp.com/api/", HOOK),
    ("webhook.office.com/", HOOK),
    ("ghp_", TOKEN),
    ("gho_", TOKEN),
    ("ghu_", TOKEN),
    ("ghs_", TOKEN),
    ("ghr_", TOKEN),
    ("github_pat_", TOKEN),
    ("xox", TOKEN),
    ("xapp-", TOKEN),
    ("eyJ", TOKEN),
    ("AKIA", TOKEN),
    ("ASIA", TOKEN),
    ("AGPA", TOKEN),
    ("AIDA", TOKEN),
    ("AROA", TOKEN),
    ("ANPA", TOKEN),
    ("ANVA", TOKEN),
    ("AIPA", TOKEN),
    ("authorization", LABEL),
    ("api-key", LABEL),
    ("api_key", LABEL),
    ("apikey", LABEL),
    ("token", LABEL),
    ("secret", LABEL),
    ("pass", LABEL),
    ("_pwd", LABEL),
    ("_auth", LABEL),
    ("private_key", LABEL),
    ("privatekey", LABEL),
    ("access_key", LABEL),
    ("cookie", LABEL),
    ("bearer ", SCHEME),
    ("basic ", SCHEME),
    ("curl", CLI),
    ("mysql", CLI),
    ("mariadb", CLI),
    ("mongo", CLI),
    ("redis-cli", CLI),
    ("valkey-cli", CLI),
    ("sshpass", CLI),
    ("login", CLI),
    ("--", CLI),
    ("-pass", CLI),
];

/// The passes `text` needs, from one scan. Should the automaton be unavailable, every pass.
fn triggers(text: &str) -> u16 {
    static AUTOMATON: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let automaton = AUTOMATON.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(TRIGGERS.iter().map(|(word, _)| word))
            .ok()
    });
    let Some(automaton) = automaton else {
        return u16::MAX;
    };
    // Overlapping: "--password" must turn on both CLI and LABEL.
    let Ok(matches) = automaton.try_find_overlapping_iter(text) else {
        return u16::MAX;
    };
    let mut found = 0;
    for m in matches {
        found |= TRIGGERS.get(m.pattern().as_usize()).map_or(u16::MAX, |t| t.1);
    }
    found
}

/// One scanner: the redacted text, or `None` when it found nothing.
type Pass = fn(&str) -> Option<String>;

/// [`scrub_once`] until the text no longer changes.
fn scrub(text: &str, key_values: bool) -> Cow<'_, str> {
    let mut out = scrub_once(text, key_values);
    // Passes can expose each other's matches (a value one pass cut short is a word another one
    // hides whole): run again until nothing changes, which costs one more run only for a text
    // that had something to redact. Bounded, whatever the input.
    for _ in 0..4 {
        let next = match &out {
            Cow::Borrowed(_) => break,
            Cow::Owned(o) => match scrub_once(o, key_values) {
                Cow::Borrowed(_) => break,
                Cow::Owned(next) => next,
            },
        };
        out = Cow::Owned(next);
    }
    out
}

/// The passes in order, each skipped when it has nothing to find. Key blocks first (they span
/// lines and hold anything); headers before `Bearer x` and before `key: value`, so
/// `Authorization: Bearer x` loses its whole value; command words last, whole.
fn scrub_once(text: &str, key_values: bool) -> Cow<'_, str> {
    let found = triggers(text);
    let passes: [(u16, Pass); 7] = [
        (KEY_BLOCK, redact_key_blocks),
        (HOOK, redact_webhooks),
        (URL, redact_urls),
        (LABEL, redact_labels),
        (SCHEME, redact_schemes),
        (TOKEN, redact_tokens),
        (CLI, redact_cli_passwords),
    ];
    let mut text = Cow::Borrowed(text);
    for (flag, pass) in passes {
        if found & flag != 0 {
            if let Some(new) = pass(&text) {
                text = Cow::Owned(new);
            }
        }
    }
    if key_values && text.contains(['=', ':']) {
        let new = redact_key_values(&text);
        if new != *text {
            text = Cow::Owned(new);
        }
    }
    text
}

/// One pass's output: the text with byte ranges replaced by [`REDACTED`], allocated only once
/// a range is found. Ranges arrive in ascending order; one overlapping the last extends it.
struct Edits<'a> {
    text: &'a str,
    out: Option<String>,
    last: usize,
}

impl<'a> Edits<'a> {
    fn new(text: &'a str) -> Self {
        Edits {
            text,
            out: None,
            last: 0,
        }
    }

    fn redact(&mut self, start: usize, end: usize) {
        // Scanners stop on ASCII bytes; widening to char boundaries keeps a mistake from panicking.
        let (start, end) = (floor_boundary(self.text, start), ceil_boundary(self.text, end));
        if end <= start {
            return;
        }
        if start < self.last {
            self.last = self.last.max(end);
            return;
        }
        // Already redacted (a second run): leave the text borrowed.
        if &self.text[start..end] == REDACTED {
            return;
        }
        let out = self.out.get_or_insert_with(|| String::with_capacity(self.text.len()));
        out.push_str(&self.text[self.last..start]);
        out.push_str(REDACTED);
        self.last = end;
    }

    fn finish(self) -> Option<String> {
        let mut out = self.out?;
        out.push_str(&self.text[self.last..]);
        Some(out)
    }
}

fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The end of the run of bytes from `from` that satisfy `pred`.
fn run_end(b: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    let from = from.min(b.len());
    b[from..].iter().position(|&c| !pred(c)).map_or(b.len(), |p| from + p)
}

fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

fn ends_with_ci(name: &[u8], suffix: &[u8]) -> bool {
    name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// `$NAME`, `${NAME}` or a bare `$`: a reference the shell expands, not the secret itself.
/// Kept, because it tells the reader where the value comes from.
fn is_reference(v: &[u8]) -> bool {
    match v {
        [b'$'] => true,
        [b'$', b'{', inner @ .., b'}'] => !inner.is_empty() && !inner.contains(&b'}'),
        [b'$', first, rest @ ..] => {
            (first.is_ascii_alphabetic() || *first == b'_')
                && rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Private key blocks

/// `-----BEGIN … PRIVATE KEY-----` through its `-----END … PRIVATE KEY-----`; through the end
/// of the text when the END is missing (a cut text). An END alone (log lines joined after each
/// was redacted, so the BEGIN line is already a marker) takes the key's body before it.
fn redact_key_blocks(text: &str) -> Option<String> {
    const MARK: &[u8] = b"PRIVATE KEY";
    let b = text.as_bytes();
    let mut edits = Edits::new(text);
    let mut open: Option<usize> = None;
    let mut block_end = 0;
    let mut from = 0;
    while let Some(p) = find_bytes(b, MARK, from) {
        let mut end = p + MARK.len();
        if b[end..].starts_with(b" BLOCK") {
            end += " BLOCK".len();
        }
        end = run_end(b, end, |c| c == b'-');
        match key_marker(b, p) {
            Some((start, true)) => {
                open.get_or_insert(start);
            }
            Some((start, false)) => {
                let start = open.take().unwrap_or_else(|| key_body_start(b, start, block_end));
                edits.redact(start, end);
                block_end = end;
            }
            None => {}
        }
        from = end;
    }
    if let Some(start) = open {
        edits.redact(start, b.len());
    }
    edits.finish()
}

/// Where the body of a key before its END marker at `marker` starts: the base64 words before
/// it (the last one, of any length, and 16 characters or more or padded before that), back to
/// the marker an earlier redaction left, never before `floor`. Words are split by blanks and
/// by `\n` escapes (a key inside JSON text). Prose stops it at its first short word.
fn key_body_start(b: &[u8], marker: usize, floor: usize) -> usize {
    let escape = |k: usize| k >= floor + 2 && b[k - 2] == b'\\' && matches!(b[k - 1], b'n' | b'r');
    let (mut start, mut last_word) = (marker, true);
    loop {
        let mut j = start;
        while j > floor && (b[j - 1].is_ascii_whitespace() || escape(j)) {
            j -= if b[j - 1].is_ascii_whitespace() { 1 } else { 2 };
        }
        let mut t = j;
        while t > floor && !b[t - 1].is_ascii_whitespace() && !escape(t) {
            t -= 1;
        }
        let word = &b[t..j];
        if word.ends_with(REDACTED.as_bytes()) {
            return j - REDACTED.len();
        }
        let base64 = !word.is_empty()
            && word
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='));
        if !base64 || !(last_word || word.len() >= 16 || word.ends_with(b"=")) {
            return start;
        }
        (start, last_word) = (t, false);
    }
}

/// Is the `PRIVATE KEY` at `p` the label of a BEGIN (true) or END (false) line? Its start,
/// dashes included.
fn key_marker(b: &[u8], p: usize) -> Option<(usize, bool)> {
    let label = |c: u8| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' ';
    let mut j = p;
    while j > 0 && p - j < 64 && label(b[j - 1]) {
        j -= 1;
    }
    // The rightmost BEGIN or END word of the label ("-----BEGIN RSA PRIVATE KEY").
    let (k, begin) = (j..p).rev().find_map(|k| {
        let word_start = k == 0 || b[k - 1] == b' ' || !label(b[k - 1]);
        let begin = b[k..p].starts_with(b"BEGIN ");
        (word_start && (begin || b[k..p].starts_with(b"END "))).then_some((k, begin))
    })?;
    let start = k - b[..k].iter().rev().take_while(|&&c| c == b'-').count();
    Some((start, begin))
}

// ---------------------------------------------------------------------------------------------
// URLs

/// Bytes that end a URL in running text. `[` and `]` do not: they are part of the marker.
fn ends_url(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\' | b'|')
}

/// `scheme://user:password@host` → `scheme://user:[REDACTED]@host`, a token used as the user
/// name, and secret query parameters (`?token=…`, `X-Amz-Signature=…`).
fn redact_urls(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut edits = Edits::new(text);
    let mut scheme = find_bytes(b, b"://", 0);
    while let Some(p) = scheme {
        let start = p + 3;
        // A URL ends where the next one starts (`?redirect=https://u:p@h` is the next one's):
        // every byte is looked at once.
        scheme = find_bytes(b, b"://", start);
        let mut end = run_end(&b[..scheme.unwrap_or(b.len())], start, |c| !ends_url(c));
        // Punctuation after a URL is the sentence's (`…?X-Amz-Security-Token=x: dial tcp`).
        while end > start && matches!(b[end - 1], b'.' | b',' | b':' | b';' | b')') {
            end -= 1;
        }
        let host = redact_userinfo(b, start, end, &mut edits);
        redact_query(b, host, end, &mut edits);
    }
    edits.finish()
}

/// Redacts the password of the userinfo in `b[start..end]` (one URL after `://`); returns
/// where the host starts.
fn redact_userinfo(b: &[u8], start: usize, end: usize, edits: &mut Edits) -> usize {
    let first_delim = (start..end)
        .find(|&i| matches!(b[i], b'/' | b'?' | b'#'))
        .unwrap_or(end);
    let at = (start..first_delim).rev().find(|&i| b[i] == b'@').or_else(|| {
        // "user:pa/ss@host": a password with an unencoded '/', '?' or '#'. Not "host:8080/a@b"
        // and not an IPv6 literal.
        if b.get(start) == Some(&b'[') {
            return None;
        }
        let colon = (start..first_delim).find(|&i| b[i] == b':')?;
        let port = &b[colon + 1..first_delim];
        if !port.is_empty() && port.iter().all(u8::is_ascii_digit) {
            return None;
        }
        (first_delim..end).find(|&i| b[i] == b'@')
    });
    let Some(at) = at else {
        return start;
    };
    match (start..at).find(|&i| b[i] == b':') {
        Some(colon) => edits.redact(colon + 1, at),
        None if looks_like_token(&b[start..at]) => edits.redact(start, at),
        None => {}
    }
    at + 1
}

/// A user name that is rather a token (`https://<token>@github.com`): long, letters and digits.
fn looks_like_token(v: &[u8]) -> bool {
    v.len() >= 16
        && v.iter().any(u8::is_ascii_digit)
        && v.iter().any(u8::is_ascii_alphabetic)
        && v.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'~'))
}

fn redact_query(b: &[u8], host: usize, end: usize, edits: &mut Edits) {
    let Some(q) = (host..end).find(|&i| b[i] == b'?') else {
        return;
    };
    let stop = (q..end).find(|&i| b[i] == b'#').unwrap_or(end);
    let mut i = q + 1;
    while i < stop {
        let param_end = (i..stop).find(|&j| b[j] == b'&').unwrap_or(stop);
        if let Some(eq) = (i..param_end).find(|&j| b[j] == b'=') {
            if secret_param(&b[i..eq]) && eq + 1 < param_end {
                edits.redact(eq + 1, param_end);
            }
        }
        i = param_end + 1;
    }
}

/// Query parameter names whose values are credentials.
fn secret_param(name: &[u8]) -> bool {
    const EXACT: &[&str] = &["pwd", "pass", "auth", "key", "sig", "code"];
    const SUFFIXES: &[&str] = &["token", "secret", "password", "passwd", "signature", "apikey"];
    EXACT.iter().any(|e| name.eq_ignore_ascii_case(e.as_bytes()))
        || SUFFIXES.iter().any(|s| normalized_ends_with(name, s))
}

/// Slack, Discord and Teams webhook URLs: whoever has the path can post. Redacted from the
/// path after the fixed part on, with or without a scheme.
fn redact_webhooks(text: &str) -> Option<String> {
    const HOOKS: &[&str] = &[
        "hooks.slack.com/services/",
        "hooks.slack.com/workflows/",
        "hooks.slack.com/triggers/",
        "webhook.office.com/webhookb2/",
        "discord.com/api/",
        "discordapp.com/api/",
    ];
    let b = text.as_bytes();
    let mut ranges = Vec::new();
    for hook in HOOKS {
        let mut from = 0;
        while let Some(p) = find_ci(b, hook.as_bytes(), from) {
            let mut start = p + hook.len();
            from = start;
            if hook.ends_with("/api/") {
                // discord.com/api[/v10]/webhooks/<id>/<token>
                if b.get(start) == Some(&b'v') {
                    let digits = run_end(b, start + 1, |c| c.is_ascii_digit());
                    if digits > start + 1 && b.get(digits) == Some(&b'/') {
                        start = digits + 1;
                    }
                }
                if !b[start..].starts_with(b"webhooks/") {
                    continue;
                }
                start += "webhooks/".len();
            }
            let end = run_end(b, start, |c| !ends_url(c) && c != b')');
            if end > start {
                ranges.push((start, end));
            }
            from = end.max(start);
        }
    }
    ranges.sort_unstable();
    let mut edits = Edits::new(text);
    for (start, end) in ranges {
        edits.redact(start, end);
    }
    edits.finish()
}

// ---------------------------------------------------------------------------------------------
// Tokens recognisable by their form

/// AWS access key ids, GitHub and Slack tokens (their type prefix kept: it tells the reader
/// which credential leaked), and JWTs and other base64 JSON (`eyJ…`).
fn redact_tokens(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut edits = Edits::new(text);
    let (mut i, mut last_end) = (0, 0);
    while i < b.len() {
        // Right after a redaction the byte before is the marker's `]`, as a second run sees it.
        let prev = match i {
            0 => None,
            _ if i == last_end => Some(b']'),
            _ => Some(b[i - 1]),
        };
        let hit = match b[i] {
            b'A' => aws_key_id(b, i, prev),
            b'g' => github_token(b, i),
            b'x' => slack_token(b, i),
            b'e' => base64_json(b, i, prev),
            _ => None,
        };
        match hit {
            Some((start, end)) => {
                edits.redact(start, end);
                i = end.max(i + 1);
                last_end = end;
            }
            None => i += 1,
        }
    }
    edits.finish()
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

/// `AKIA…` and the other key id forms: a prefix and 16 upper-case letters or digits, not part
/// of a longer run of them.
fn aws_key_id(b: &[u8], i: usize, prev: Option<u8>) -> Option<(usize, usize)> {
    let key = i + 20 <= b.len()
        && AWS_KEY_PREFIXES.iter().any(|p| b[i..].starts_with(p.as_bytes()))
        && b[i + 4..i + 20].iter().all(|&c| is_key_byte(c))
        && prev.is_none_or(|c| !is_key_byte(c))
        && b.get(i + 20).is_none_or(|&c| !is_key_byte(c));
    key.then_some((i, i + 20))
}

/// `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 or more letters and digits; `github_pat_` + 22
/// or more letters, digits and underscores. The body is redacted.
fn github_token(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let rest = &b[i..];
    let (start, min, underscore) =
        if rest.len() > 4 && rest[1] == b'h' && b"pousr".contains(&rest[2]) && rest[3] == b'_' {
            (i + 4, 36, false)
        } else if rest.starts_with(b"github_pat_") {
            (i + 11, 22, true)
        } else {
            return None;
        };
    let end = run_end(b, start, |c| c.is_ascii_alphanumeric() || (underscore && c == b'_'));
    (end - start >= min).then_some((start, end))
}

/// `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxe-`, `xapp-` + 10 or more token characters.
fn slack_token(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let rest = &b[i..];
    let prefixed = (rest.len() > 5 && rest.starts_with(b"xox") && b"bpares".contains(&rest[3]) && rest[4] == b'-')
        || rest.starts_with(b"xapp-");
    if !prefixed {
        return None;
    }
    let start = i + 5;
    let end = run_end(b, start, |c| c.is_ascii_alphanumeric() || c == b'-');
    (end - start >= 10).then_some((start, end))
}

fn is_base64_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'-')
}

/// `eyJ` starts the base64 of `{"`: a JWT (`header.payload.signature`), a JWE, or an encoded
/// docker config with its `auths`. 20 or more characters, dots included, from a word start.
fn base64_json(b: &[u8], i: usize, prev: Option<u8>) -> Option<(usize, usize)> {
    if !b[i..].starts_with(b"eyJ") || prev.is_some_and(is_base64_byte) {
        return None;
    }
    let mut end = run_end(b, i, |c| is_base64_byte(c) || c == b'=' || c == b'.');
    while end > i && b[end - 1] == b'.' {
        end -= 1; // a sentence's full stop
    }
    (end - i >= 20).then_some((i, end))
}

// ---------------------------------------------------------------------------------------------
// Labelled values: headers, secret keys, environment assignments

/// Headers whose whole value is a credential, however many words: `Authorization: <any
/// scheme> …`, cookies.
const HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// Key names (compared without `_`, `-` and `.`, any case) that only ever label a secret:
/// `aws_secret_access_key`, `SecretAccessKey`, `SessionToken`, `client_secret`, and the
/// one-token headers `X-Api-Key`, `X-Auth-Token`, `X-Amz-Security-Token`, `Private-Token`…
const LABEL_SUFFIXES: &[&str] = &[
    "secretaccesskey",
    "secretkey",
    "sessiontoken",
    "securitytoken",
    "clientsecret",
    "apikey",
    "accesstoken",
    "refreshtoken",
    "authtoken",
    "vaulttoken",
    "privatetoken",
    "privatekey",
];

#[derive(Clone, Copy, PartialEq)]
enum Label {
    /// The value up to the end of the line or its closing quote.
    Header,
    /// One value: a quoted string or a word.
    Value,
    /// One value right after `=` (shell: a space ends it).
    Env,
}

/// Does `name` end with `suffix` once `_`, `-` and `.` are dropped (ASCII case-insensitive)?
fn normalized_ends_with(name: &[u8], suffix: &str) -> bool {
    let mut letters = name.iter().rev().filter(|c| !matches!(c, b'_' | b'-' | b'.'));
    suffix
        .bytes()
        .rev()
        .all(|s| letters.next().is_some_and(|c| c.eq_ignore_ascii_case(&s)))
}

fn label_kind(name: &[u8], sep: u8) -> Option<Label> {
    if name.is_empty() {
        return None;
    }
    let header = HEADERS.iter().any(|h| {
        name.eq_ignore_ascii_case(h.as_bytes())
            || (ends_with_ci(name, h.as_bytes()) && name[name.len() - h.len() - 1] == b'.')
    });
    if header {
        return Some(Label::Header);
    }
    if LABEL_SUFFIXES.iter().any(|s| normalized_ends_with(name, s)) {
        return Some(Label::Value);
    }
    // `PGPASSWORD=…`, `MYSQL_PWD=…`, `GITHUB_TOKEN=…`: upper-case environment style only, so
    // prose keeps its words. `…_FILE`, `…_ARN` and the like name where a secret is, not it.
    let start = name.len() - name.iter().rev().take_while(|&&c| is_key_byte(c) || c == b'_').count();
    let env = &name[start..];
    let has = |w: &[u8]| env.windows(w.len()).any(|x| x == w);
    let secret = env.iter().any(u8::is_ascii_uppercase)
        && !["_FILE", "_PATH", "_ARN", "_NAME", "_ID"]
            .iter()
            .any(|s| env.ends_with(s.as_bytes()))
        && (has(b"PASSWORD")
            || has(b"PASSWD")
            || has(b"PASSPHRASE")
            || has(b"SECRET")
            || env == b"PASS"
            || [
                "TOKEN",
                "_PWD",
                "_PASS",
                "_AUTH",
                "API_KEY",
                "APIKEY",
                "PRIVATE_KEY",
                "ACCESS_KEY",
            ]
            .iter()
            .any(|s| env.ends_with(s.as_bytes())));
    (sep == b'=' && secret).then_some(Label::Env)
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// Bytes that end an unquoted value.
fn ends_value(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\'' | b'`' | b'\\' | b',' | b';' | b'&' | b'|' | b'}' | b'<' | b'>'
        )
}

/// The span of the value that starts at `v`: inside its quotes when quoted (an escaped `\"`
/// pair in JSON-in-text too), else up to the end of the word, or for a header up to the end
/// of the line or the quote around the whole header (`-H 'Authorization: Digest a="b"'`), and
/// after `=` an `&` (a query string).
fn value_span(b: &[u8], mut v: usize, label: Label, sep: u8, enclosing: Option<u8>) -> (usize, usize) {
    if label != Label::Env {
        v = run_end(b, v, |c| c == b' ' || c == b'\t');
    }
    let escaped = b.get(v) == Some(&b'\\') && matches!(b.get(v + 1), Some(b'"' | b'\''));
    if escaped {
        v += 1;
    }
    if let Some(&q) = b.get(v).filter(|&&c| c == b'"' || c == b'\'') {
        let s = v + 1;
        let e = (s..b.len())
            .find(|&j| b[j] == b'\n' || (b[j] == q && (b[j - 1] == b'\\') == escaped))
            .unwrap_or(b.len());
        let e = if escaped && e < b.len() && b[e] == q { e - 1 } else { e };
        return (s, e.max(s));
    }
    if label != Label::Header {
        return (v, run_end(b, v, |c| !ends_value(c)));
    }
    let end = run_end(b, v, |c| {
        !(matches!(c, b'\n' | b'\r') || Some(c) == enclosing || (sep == b'=' && c == b'&'))
    });
    let escaped = enclosing.is_some() && end > v && b[end - 1] == b'\\';
    (v, if escaped { end - 1 } else { end })
}

/// Values after `Authorization:`-like headers, secret-only key names and upper-case secret
/// environment names, found from each `:` and `=`.
fn redact_labels(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut edits = Edits::new(text);
    let mut i = 0;
    while i < b.len() {
        let sep = b[i];
        if sep != b':' && sep != b'=' {
            i += 1;
            continue;
        }
        // The name before: `name:`, `"name": `, `name = `, `\"name\":`.
        let mut k = i;
        while k > 0 && matches!(b[k - 1], b' ' | b'\t') {
            k -= 1;
        }
        if k > 0 && matches!(b[k - 1], b'"' | b'\'') {
            k -= 1;
            if k > 0 && b[k - 1] == b'\\' {
                k -= 1;
            }
        }
        let name_start = k - b[..k].iter().rev().take_while(|&&c| is_name_byte(c)).count();
        let url = sep == b':' && b[i + 1..].starts_with(b"//");
        match label_kind(&b[name_start..k], sep).filter(|_| !url) {
            Some(label) => {
                let enclosing = name_start
                    .checked_sub(1)
                    .map(|q| b[q])
                    .filter(|&q| q == b'"' || q == b'\'');
                let (s, e) = value_span(b, i + 1, label, sep, enclosing);
                // A value an earlier pass hid (`x-access-token:[REDACTED]@github.com`) keeps
                // what follows the marker: it is the rest of a URL, not the secret.
                if e > s && !is_reference(&b[s..e]) && !b[s..e].starts_with(REDACTED.as_bytes()) {
                    edits.redact(s, e);
                }
                i = e.max(i + 1);
            }
            None => i += 1,
        }
    }
    edits.finish()
}

/// `Bearer x` and `Basic x` outside a header. The word must look like a credential, so
/// "Bearer token expired" and "Basic authentication" keep their words.
fn redact_schemes(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut edits = Edits::new(text);
    let mut i = 0;
    while i < b.len() {
        let scheme = (b[i] | 0x20 == b'b' && (i == 0 || !b[i - 1].is_ascii_alphanumeric()))
            .then(|| {
                [&b"bearer "[..], b"basic "]
                    .into_iter()
                    .find(|m| b[i..].get(..m.len()).is_some_and(|w| w.eq_ignore_ascii_case(m)))
            })
            .flatten();
        let Some(scheme) = scheme else {
            i += 1;
            continue;
        };
        let s = run_end(b, i + scheme.len(), |c| c == b' ');
        let e = run_end(b, s, |c| {
            c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=')
        });
        if looks_random(&b[s..e]) {
            edits.redact(s, e);
            i = e.max(i + 1);
        } else {
            // The word may itself be a scheme: "Bearer Bearer x".
            i = s.max(i + 1);
        }
    }
    edits.finish()
}

/// Not an English word: 8 or more characters, not all lower case (nor capitalised) letters.
fn looks_random(w: &[u8]) -> bool {
    let word = |w: &[u8]| w.iter().all(u8::is_ascii_lowercase);
    w.len() >= 8 && !word(w) && !(w[0].is_ascii_uppercase() && word(&w[1..]))
}

// ---------------------------------------------------------------------------------------------
// Password flags of command lines (health checks, commands quoted in logs)

/// The command whose flags are being read.
#[derive(Clone, Copy, PartialEq)]
enum Cli {
    None,
    Curl,
    /// mysql, mysqladmin, mysqldump, mariadb…, mongo, mongosh…: `-p` is the password.
    Sql,
    Redis,
    Sshpass,
    /// docker, podman…: before the subcommand.
    Docker,
    DockerLogin,
}

/// What to redact of the argument a flag takes.
#[derive(Clone, Copy, PartialEq)]
enum Arg {
    Whole,
    /// `user:password`: what follows the first colon.
    UserPass,
    /// openssl `pass:secret`.
    OpensslPass,
    /// An option's argument that is no secret (sshpass `-f file`).
    Skip,
}

fn command_of(word: &[u8]) -> Option<Cli> {
    // `CMD=curl`, `exec=mysqladmin`: the program after an assignment.
    let word = match word.iter().rposition(|&c| c == b'=') {
        Some(eq) => &word[eq + 1..],
        None => word,
    };
    // A path counts only as a program (`/usr/bin/mysqladmin`), not `/var/lib/mysql`.
    let base = match word.iter().rposition(|&c| c == b'/') {
        Some(slash) if find_bytes(word, b"bin/", 0).is_some() => &word[slash + 1..],
        Some(_) => return None,
        None => word,
    };
    Some(match base {
        b"curl" | b"curl.exe" => Cli::Curl,
        b"redis-cli" | b"valkey-cli" => Cli::Redis,
        b"sshpass" => Cli::Sshpass,
        b"docker" | b"podman" | b"nerdctl" | b"finch" => Cli::Docker,
        _ if base.starts_with(b"mysql") || base.starts_with(b"mariadb") || base.starts_with(b"mongo") => Cli::Sql,
        _ => return None,
    })
}

/// Long flags of any command whose argument is a secret: `--password`, `--pass`, `--token`,
/// `--client-secret`, `--oauth2-bearer`… Not `--password-stdin`, `--no-password`, `--ask-pass`.
fn long_flag_arg(name: &[u8], ctx: Cli) -> Option<Arg> {
    if ctx == Cli::Curl && (name == b"user" || name == b"proxy-user") {
        return Some(Arg::UserPass);
    }
    if name.starts_with(b"no-") || name.starts_with(b"ask") {
        return None;
    }
    if ends_with_ci(name, b"creds") {
        return Some(Arg::UserPass);
    }
    let secret = name.eq_ignore_ascii_case(b"pass")
        || [
            "password",
            "passwd",
            "-pass",
            "_pass",
            "passphrase",
            "token",
            "secret",
            "secret-key",
            "secret-access-key",
            "api-key",
            "apikey",
            "bearer",
        ]
        .iter()
        .any(|s| ends_with_ci(name, s.as_bytes()));
    secret.then_some(Arg::Whole)
}

/// `8080:80`, `127.0.0.1:8080:80/tcp`, `3306`: a port, never a password.
fn is_port_spec(v: &[u8]) -> bool {
    let v = [&b"/tcp"[..], b"/udp", b"/sctp"]
        .iter()
        .find_map(|s| v.strip_suffix(*s))
        .unwrap_or(v);
    v.first().is_some_and(u8::is_ascii_digit)
        && v.iter().all(|&c| c.is_ascii_digit() || matches!(c, b':' | b'.' | b'-'))
}

/// Bytes that separate words of a command line.
fn is_word_byte(c: u8) -> bool {
    !matches!(
        c,
        b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'(' | b')' | b'`' | b'<' | b'>' | b'"' | b'\''
    )
}

/// curl's short flags that take no argument, which may precede `u` in one cluster (`-fsu`).
const CURL_NO_ARG: &[u8] = b"fsSLkvigGIjlnqNZ0123456#:";

/// The passwords of `curl -u user:pw`, `mysql -ppw`, `mysqladmin -p pw`, `redis-cli -a pw`,
/// `sshpass -p pw`, `docker login -p pw`, `--password[=]pw` and the like in any command, and
/// openssl `-passin pass:pw`. Words are split on blanks and quotes (a command may be quoted
/// inside a longer text or listed as `["curl", "-u", "a:b"]`); `;`, `|`, `&`, parentheses and
/// line breaks end a command. Other commands' `-p` (`docker run -p 8080:80`) are left alone.
fn redact_cli_passwords(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut edits = Edits::new(text);
    let mut ctx = Cli::None;
    let mut pending: Option<Arg> = None;
    let mut i = 0;
    let apply = |edits: &mut Edits, arg: Arg, ctx: Cli, separate: bool, s: usize, e: usize| {
        let v = &b[s..e];
        match arg {
            // `mysql -p 3306` names a port (or a database), and is never a password.
            Arg::Whole if v.is_empty() || is_reference(v) || (separate && ctx == Cli::Sql && is_port_spec(v)) => {}
            Arg::Whole => edits.redact(s, e),
            Arg::UserPass => {
                if let Some(colon) = v.iter().position(|&c| c == b':') {
                    let (user, pass) = (&v[..colon], &v[colon + 1..]);
                    let uid_gid = !user.is_empty() && [user, pass].iter().all(|p| p.iter().all(u8::is_ascii_digit));
                    if !pass.is_empty() && !is_reference(pass) && !uid_gid {
                        edits.redact(s + colon + 1, e);
                    }
                }
            }
            Arg::OpensslPass if v.len() > 5 && v.starts_with(b"pass:") => edits.redact(s + 5, e),
            Arg::OpensslPass | Arg::Skip => {}
        }
    };
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' => i += 1,
            b'\n' | b'\r' | b';' | b'&' | b'|' | b'(' | b')' | b'`' => {
                ctx = Cli::None;
                pending = None;
                i += 1;
            }
            b'<' | b'>' => {
                pending = None;
                i += 1;
            }
            q @ (b'"' | b'\'') => {
                let closes = i > 0 && is_word_byte(b[i - 1]);
                let next = b.get(i + 1).copied();
                let opens = next.is_some_and(|n| is_word_byte(n) && !(closes && n == b','));
                match pending {
                    Some(arg) if opens => {
                        // A quoted argument: `-u 'a:b c'`, `-p"pw"`, `"-p", "pw"`.
                        let s = i + 1;
                        let e = (s..b.len()).find(|&j| b[j] == q || b[j] == b'\n').unwrap_or(b.len());
                        apply(&mut edits, arg, ctx, true, s, e);
                        pending = None;
                        i = if b.get(e) == Some(&q) { e + 1 } else { e };
                    }
                    _ if closes => {
                        // The end of a listed word: skip the `,` before the next one.
                        let j = run_end(b, i + 1, |c| c == b' ' || c == b'\t');
                        i = if b.get(j) == Some(&b',') { j + 1 } else { i + 1 };
                    }
                    _ => i += 1,
                }
            }
            _ => {
                let s = i;
                i = run_end(b, i, is_word_byte);
                let word = &b[s..i];
                let flag = word.len() > 1 && word[0] == b'-';
                if let Some(arg) = pending.take() {
                    if !flag {
                        apply(&mut edits, arg, ctx, true, s, i);
                        // Named as a value, a command still starts its flags (`-u sshpass -p pw`).
                        ctx = command_of(word).unwrap_or(ctx);
                        continue;
                    }
                }
                if let Some(cmd) = command_of(word) {
                    ctx = cmd;
                    continue;
                }
                if !flag {
                    ctx = match (ctx, word) {
                        (Cli::Docker, b"login") => Cli::DockerLogin,
                        // Options end at the command sshpass runs (`sshpass -p pw ssh -p 22`).
                        (Cli::Docker | Cli::Sshpass, _) => Cli::None,
                        (ctx, _) => ctx,
                    };
                    continue;
                }
                if word.starts_with(b"--") {
                    let eq = word.iter().position(|&c| c == b'=');
                    let name = &word[2..eq.unwrap_or(word.len())];
                    if let Some(arg) = long_flag_arg(name, ctx) {
                        match eq {
                            Some(eq) if s + eq + 1 < i => apply(&mut edits, arg, ctx, false, s + eq + 1, i),
                            _ => pending = Some(arg),
                        }
                    }
                    continue;
                }
                if matches!(word, b"-passin" | b"-passout" | b"-pass") {
                    pending = Some(Arg::OpensslPass);
                    continue;
                }
                let (letter, attached) = (word[1], word.len() > 2);
                match ctx {
                    Cli::Curl if matches!(letter, b'u' | b'U') && attached => {
                        apply(&mut edits, Arg::UserPass, ctx, false, s + 2, i)
                    }
                    Cli::Curl if matches!(letter, b'u' | b'U') => pending = Some(Arg::UserPass),
                    // `-fsSu user:pw`: a cluster of argument-less flags ending in `u`.
                    Cli::Curl
                        if matches!(word[word.len() - 1], b'u' | b'U')
                            && word[1..word.len() - 1].iter().all(|c| CURL_NO_ARG.contains(c)) =>
                    {
                        pending = Some(Arg::UserPass)
                    }
                    Cli::Sql | Cli::Sshpass | Cli::DockerLogin if letter == b'p' && attached => {
                        apply(&mut edits, Arg::Whole, ctx, false, s + 2, i)
                    }
                    Cli::Sql | Cli::Sshpass | Cli::DockerLogin if letter == b'p' => pending = Some(Arg::Whole),
                    Cli::Redis if word == b"-a" => pending = Some(Arg::Whole),
                    Cli::Sshpass if matches!(word, b"-f" | b"-d" | b"-P") => pending = Some(Arg::Skip),
                    _ => {}
                }
            }
        }
    }
    edits.finish()
}

// ---------------------------------------------------------------------------------------------
// `key=value` secrets of log lines ([`redact`] only)

fn redact_key_values(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Find a separator (= or :) preceded by a key that names a secret.
        if bytes[i] == b'=' || bytes[i] == b':' {
            let key_end = lower[..i].trim_end_matches(['"', '\'', ' ']).len();
            let key_start = lower[..key_end]
                .char_indices()
                .rev()
                .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == '.'))
                .map_or(0, |(p, c)| p + c.len_utf8());
            let key = &lower[key_start..key_end];
            let is_url = bytes.get(i + 1) == Some(&b'/');
            if !key.is_empty() && !is_url && SECRET_KEYS.iter().any(|k| key.contains(k)) {
                let mut start = i + 1;
                while start < bytes.len() && matches!(bytes[start], b' ' | b'"' | b'\'') {
                    start += 1;
                }
                let end = line[start..]
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '&' | '}'))
                    .map_or(line.len(), |e| start + e);
                if end > start && start >= last {
                    out.push_str(&line[last..start]);
                    out.push_str(REDACTED);
                    last = end;
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push_str(&line[last..]);
    out
}

/// Keys of a CloudTrail `requestParameters` whose values identify what a call changed or
/// named, and carry no secret. Anything else — `secretString`, a parameter's `value`, policy documents — is never copied.
const REQUEST_IDENTIFIERS: &[&str] = &[
    "repositoryName",
    "imageTag",
    "imageDigest",
    "secretId",
    "recoveryWindowInDays",
    "forceDeleteWithoutRecovery",
    "versionStage",
    "name",
    "type",
    "overwrite",
    "roleName",
    "policyArn",
    "policyName",
    "groupId",
    "ipProtocol",
    "fromPort",
    "toPort",
    "cidrIp",
    "cidrIpv6",
    "prefixListId",
    "routeTableId",
    "destinationCidrBlock",
    "destinationPrefixListId",
    "natGatewayId",
    "gatewayId",
    "transitGatewayId",
    "vpcEndpointId",
    "targetGroupArn",
    "healthCheckPath",
    "healthCheckPort",
    "healthCheckProtocol",
    "httpCode",
    "port",
    "cluster",
    "service",
    "taskDefinition",
    "family",
    "desiredCount",
    "forceNewDeployment",
    "logGroupName",
    "keyId",
    "pendingWindowInDays",
    "fileSystemId",
    "mountTargetId",
    "accessPointId",
    // ECS calls that fail (issue 21): what the request named.
    "serviceName",
    "launchType",
    "networkMode",
    "platformVersion",
    "executionRoleArn",
    "taskRoleArn",
    "loadBalancerName",
    "containerName",
    "containerPort",
    "role",
    "subnets",
    "securityGroups",
    "assignPublicIp",
    "capacityProvider",
];

/// Who made a CloudTrail call, from its `userIdentity`: the principal's ARN, else its id, the
/// service that called for it, or its type.
pub fn caller(user_identity: &Value) -> Option<String> {
    ["arn", "principalId", "invokedBy", "type"]
        .iter()
        .find_map(|k| user_identity.get(*k).and_then(Value::as_str).filter(|v| !v.is_empty()))
        .map(str::to_string)
}

/// `key=value` for every identifier of a CloudTrail `requestParameters` (allowlisted keys
/// only, however deep), in the request's order: what "what changed" and a failed API call show.
pub fn request_identifiers(params: &Value) -> Vec<String> {
    let mut out = Vec::new();
    safe_pairs(params, &mut out);
    out
}

/// `key=value` for every scalar under an allowlisted key, however deep (CloudTrail nests
/// `ipPermissions.items[].ipRanges.items[].cidrIp`).
fn safe_pairs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(_) | Value::Number(_) | Value::Bool(_)
                        if REQUEST_IDENTIFIERS.contains(&k.as_str()) =>
                    {
                        let text = match v {
                            Value::String(s) => crate::util::text::sanitize_inline(s),
                            other => other.to_string(),
                        };
                        out.push(format!("{k}={text}"));
                    }
                    Value::Array(items) if REQUEST_IDENTIFIERS.contains(&k.as_str()) => {
                        let scalars: Vec<String> = items
                            .iter()
                            .filter_map(|i| match i {
                                Value::String(s) => Some(crate::util::text::sanitize_inline(s)),
                                Value::Number(n) => Some(n.to_string()),
                                _ => None,
                            })
                            .collect();
                        if !scalars.is_empty() {
                            out.push(format!("{k}={}", scalars.join("|")));
                        }
                        for item in items {
                            safe_pairs(item, out);
                        }
                    }
                    Value::Object(_) | Value::Array(_) => safe_pairs(v, out),
                    _ => {}
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                safe_pairs(item, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

    /// `clean` and `redact` turn every input into its expected output, and are idempotent.
    fn check_all(cases: &[(&str, &str)]) {
        for &(input, expected) in cases {
            assert_eq!(clean(input), expected, "clean({input:?})");
            assert_eq!(redact_credentials(input), expected, "redact_credentials({input:?})");
            assert_eq!(clean(expected), expected, "clean is not idempotent on {expected:?}");
        }
    }

    fn unchanged(lines: &[&str]) {
        for &line in lines {
            assert_eq!(clean(line), line, "clean changed prose");
        }
    }

    #[test]
    fn planted_credentials_are_redacted() {
        let cases = [
            ("key AKIAIOSFODNN7EXAMPLE used", "key [REDACTED] used"),
            (
                "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY x",
                "aws_secret_access_key=[REDACTED] x",
            ),
            (
                "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc",
                "Authorization: [REDACTED]",
            ),
            (
                r#"{"password": "hunter2", "user": "bob"}"#,
                r#"{"password": "[REDACTED]", "user": "bob"}"#,
            ),
            ("DB_PASSWORD=s3cr3t;next", "DB_PASSWORD=[REDACTED];next"),
            (
                "connecting to postgres://app:pa55@db:5432/x",
                "connecting to postgres://app:[REDACTED]@db:5432/x",
            ),
            ("-----BEGIN RSA PRIVATE KEY-----", "[REDACTED]"),
            // At both ends, after non-ASCII text; not inside a longer run.
            ("AKIAIOSFODNN7EXAMPLE,ASIAIOSFODNN7EXAMPLE", "[REDACTED],[REDACTED]"),
            ("ключ AKIAIOSFODNN7EXAMPLE", "ключ [REDACTED]"),
            ("XAKIAIOSFODNN7EXAMPLE", "XAKIAIOSFODNN7EXAMPLE"),
            ("AKIAIOSFODNN7EXAMPLEX", "AKIAIOSFODNN7EXAMPLEX"),
            ("AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPL"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "input: {input}");
            assert_eq!(redact(expected), expected, "not idempotent: {expected}");
        }
    }

    #[test]
    fn evidence_keeps_its_prose_but_loses_keys() {
        let reason = "unable to retrieve ecr registry auth: service call failed with key AKIAIOSFODNN7EXAMPLE";
        assert_eq!(
            redact_credentials(reason),
            "unable to retrieve ecr registry auth: service call failed with key [REDACTED]"
        );
    }

    #[test]
    fn the_issue_example() {
        let reason =
            "CannotStartContainerError: pull https://deploy:hunter2@registry.example.com/v2/ key AKIAIOSFODNN7EXAMPLE";
        for out in [clean(reason), redact_credentials(reason), redact(reason)] {
            assert!(
                !out.contains("hunter2") && !out.contains("AKIAIOSFODNN7EXAMPLE"),
                "{out}"
            );
            assert_eq!(
                out,
                "CannotStartContainerError: pull https://deploy:[REDACTED]@registry.example.com/v2/ key [REDACTED]"
            );
        }
    }

    #[test]
    fn ordinary_lines_pass_unchanged() {
        for line in [
            "Exception in thread main java.lang.OutOfMemoryError: Java heap space",
            "GET /health 200 3ms",
            "listening on http://0.0.0.0:8080",
            "時刻: 12:00 起動しました",
        ] {
            assert_eq!(redact(line), line);
            assert_eq!(clean(line), line);
        }
    }

    #[test]
    fn ecs_prose_is_left_alone() {
        unchanged(&[
            "ecr registry auth: service call has been retried 3 time(s)",
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval \
             failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch \
             secret arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
            "CannotPullContainerError: pull access denied for repo, repository does not exist or may require \
             'docker login': denied",
            "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/0123 is not \
             authorized to perform: ecr:GetAuthorizationToken",
            "CannotPullContainerError: failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1",
            "image 123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:4c1e2a3b5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b",
            "task arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef stopped",
            "container d6f0b1c2-3a4b-4c5d-8e9f-0a1b2c3d4e5f: Essential container in task exited: exit code 137",
            "docker run -p 8080:80 nginx",
            "docker run --name mysql -p 3306:3306 -d mysql:8",
            "ssh -p 2222 deploy@host",
            "nc -z -p 1234 localhost 80",
            "the token expired; invalid token: please log in",
            "Bearer token expired",
            "Basic authentication failed",
            "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"",
            "CMD-SHELL curl -f http://localhost:8080/health || exit 1",
            "CMD-SHELL mysqladmin ping -h localhost -p$MYSQL_ROOT_PASSWORD",
            "mysql -u root -p",
            "aws ecr get-login-password | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com",
            "DB_PASSWORD_FILE=/run/secrets/db DB_SECRET_ARN=arn:aws:secretsmanager:us-east-1:1:secret:x",
            "https://github.com/org/repo/blob/main/README.md",
            "ssh://git@github.com/org/repo.git",
            "http://host:8080/users/@me",
            "mongosh --eval 'db.adminCommand(\"ping\")'",
            "ghp_short github_pat_x xoxb-1 eyJ heyJude",
            "the PRIVATE KEY file is missing",
            "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123)",
            "x-api-key header missing; Authorization header missing",
            "起動に失敗しました: コンテナが終了しました (exit code 1)",
        ]);
    }

    #[test]
    fn url_credentials() {
        check_all(&[
            (
                "pull https://deploy:hunter2@registry.example.com/v2/",
                "pull https://deploy:[REDACTED]@registry.example.com/v2/",
            ),
            ("redis://:s3cret@cache:6379/0", "redis://:[REDACTED]@cache:6379/0"),
            ("amqp://app:p@ss@mq/vhost", "amqp://app:[REDACTED]@mq/vhost"),
            (
                "mongodb+srv://u:pa/ss@cluster0.example.net/db",
                "mongodb+srv://u:[REDACTED]@cluster0.example.net/db",
            ),
            (
                "git clone https://ghp0123456789abcdefXYZ@github.com/o/r",
                "git clone https://[REDACTED]@github.com/o/r",
            ),
            (
                "GET https://api.example.com/v1?user=bob&access_token=abc123&x=1",
                "GET https://api.example.com/v1?user=bob&access_token=[REDACTED]&x=1",
            ),
            (
                "s3 https://b.s3.amazonaws.com/k?X-Amz-Signature=deadbeef&X-Amz-Security-Token=FwoG",
                "s3 https://b.s3.amazonaws.com/k?X-Amz-Signature=[REDACTED]&X-Amz-Security-Token=[REDACTED]",
            ),
            (
                "https://a.example/?next=https://u:pw@b.example/",
                "https://a.example/?next=https://u:[REDACTED]@b.example/",
            ),
            // ECR's layer download in a CannotPullContainerError: the reason after the URL stays.
            (
                "Get https://l.s3.amazonaws.com/k?X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20240101&X-Amz-Security-Token=IQoJ: dial tcp 1.2.3.4:443: i/o timeout",
                "Get https://l.s3.amazonaws.com/k?X-Amz-Credential=[REDACTED]%2F20240101&X-Amz-Security-Token=[REDACTED]: dial tcp 1.2.3.4:443: i/o timeout",
            ),
        ]);
    }

    #[test]
    fn aws_secret_access_keys_when_labelled() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        check_all(&[
            (
                &format!("aws_secret_access_key={key}"),
                "aws_secret_access_key=[REDACTED]",
            ),
            (
                &format!("AWS_SECRET_ACCESS_KEY: {key}"),
                "AWS_SECRET_ACCESS_KEY: [REDACTED]",
            ),
            (
                &format!(r#"{{"SecretAccessKey": "{key}", "Expiration": "x"}}"#),
                r#"{"SecretAccessKey": "[REDACTED]", "Expiration": "x"}"#,
            ),
            ("aws_session_token = FwoGZXIvYXdzEBY", "aws_session_token = [REDACTED]"),
            (
                &format!("--aws-secret-access-key {key}"),
                "--aws-secret-access-key [REDACTED]",
            ),
        ]);
    }

    #[test]
    fn github_tokens() {
        let body = "0123456789abcdefghijABCDEFGHIJ012345";
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            check_all(&[(
                &format!("push with {prefix}{body} failed"),
                &format!("push with {prefix}[REDACTED] failed"),
            )]);
        }
        check_all(&[
            (
                "token github_pat_11ABCDEFG0123456789_abcdefghij",
                "token github_pat_[REDACTED]",
            ),
            (
                &format!("https://x-access-token:ghs_{body}@github.com/o/r"),
                "https://x-access-token:[REDACTED]@github.com/o/r",
            ),
        ]);
        unchanged(&[
            "ghp_0123456789abcdefghij (35 chars)",
            "ghp_0123456789abcdefghijABCDEFGHIJ01234",
        ]);
    }

    #[test]
    fn slack_tokens_and_webhooks() {
        check_all(&[
            ("bot xoxb-1234567890-0987654321-AbCdEfGhIjKl", "bot xoxb-[REDACTED]"),
            ("user xoxp-1234567890-abc", "user xoxp-[REDACTED]"),
            ("app xapp-1-A0123-456-abcdef", "app xapp-[REDACTED]"),
            (
                "post https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX failed",
                "post https://hooks.slack.com/services/[REDACTED] failed",
            ),
            (
                "<https://hooks.slack.com/workflows/T0/A0/123/abc|hook>",
                "<https://hooks.slack.com/workflows/[REDACTED]|hook>",
            ),
            (
                "https://discord.com/api/webhooks/123456/AbCdEf-gh",
                "https://discord.com/api/webhooks/[REDACTED]",
            ),
            (
                "https://discordapp.com/api/v10/webhooks/1/tok",
                "https://discordapp.com/api/v10/webhooks/[REDACTED]",
            ),
        ]);
        unchanged(&[
            "xoxb-123 is too short",
            "https://hooks.slack.com/",
            "https://discord.com/api/users/@me",
        ]);
    }

    #[test]
    fn jwts() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        check_all(&[
            (&format!("token={jwt}."), "token=[REDACTED]."),
            (&format!("\"id_token\":\"{jwt}\""), "\"id_token\":\"[REDACTED]\""),
            ("auth eyJhdXRocyI6eyJyZWdpc3RyeSI6e319fQ==", "auth [REDACTED]"),
        ]);
    }

    #[test]
    fn private_key_blocks() {
        check_all(&[
            (
                "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAA\n-----END RSA PRIVATE KEY-----\nnext line",
                "key: [REDACTED]\nnext line",
            ),
            ("a -----BEGIN OPENSSH PRIVATE KEY----- b3Blbn (cut", "a [REDACTED]"),
            ("b3Blbn\n-----END PRIVATE KEY----- after", "[REDACTED] after"),
            (
                "log line one\n[REDACTED]\nMIIEowIBAAKCAQEA0123456789abcdef\nZw==\n-----END RSA PRIVATE KEY-----\nnext",
                "log line one\n[REDACTED]\nnext",
            ),
            (
                "the key was logged -----END RSA PRIVATE KEY-----",
                "the key was [REDACTED]",
            ),
            (
                "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQ\n-----END PGP PRIVATE KEY BLOCK-----",
                "[REDACTED]",
            ),
            (
                "x\\n-----BEGIN EC PRIVATE KEY-----\\nMHc\\n-----END EC PRIVATE KEY-----\\n\",\"y\":1",
                "x\\n[REDACTED]\\n\",\"y\":1",
            ),
            (
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            ),
        ]);
    }

    #[test]
    fn authorization_headers() {
        check_all(&[
            ("Authorization: Basic dXNlcjpwYXNz\nHost: x", "Authorization: [REDACTED]\nHost: x"),
            ("authorization=token ghp_whatever", "authorization=[REDACTED]"),
            ("Authorization: Digest username=\"a\", response=\"b\"", "Authorization: [REDACTED]"),
            (
                "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, Signature=5d",
                "Authorization: [REDACTED]",
            ),
            ("Proxy-Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Proxy-Authorization: [REDACTED]"),
            ("X-Api-Key: abc123 ", "X-Api-Key: [REDACTED] "),
            ("x-auth-token:abc", "x-auth-token:[REDACTED]"),
            (
                "curl -H 'Authorization: Bearer abc.def' https://api",
                "curl -H 'Authorization: [REDACTED]' https://api",
            ),
            (r#"{"Authorization": "Bearer abc", "Accept": "*/*"}"#, r#"{"Authorization": "[REDACTED]", "Accept": "*/*"}"#),
            (r#"{\"authorization\":\"Bearer abc\",\"x\":1}"#, r#"{\"authorization\":\"[REDACTED]\",\"x\":1}"#),
            ("headers.Authorization = Bearer abc", "headers.Authorization = [REDACTED]"),
            ("Cookie: session=abc; theme=dark", "Cookie: [REDACTED]"),
            // Outside a header: only a word that looks like a credential.
            ("sent Bearer abc123DEF456ghi to upstream", "sent Bearer [REDACTED] to upstream"),
        ]);
    }

    #[test]
    fn cli_password_flags() {
        check_all(&[
            (
                "CMD-SHELL curl -f -u admin:pw http://localhost/ || exit 1",
                "CMD-SHELL curl -f -u admin:[REDACTED] http://localhost/ || exit 1",
            ),
            ("curl --user admin:pw x", "curl --user admin:[REDACTED] x"),
            ("curl --user=admin:pw x", "curl --user=admin:[REDACTED] x"),
            ("curl -uadmin:pw x", "curl -uadmin:[REDACTED] x"),
            ("curl -fsSu admin:pw x", "curl -fsSu admin:[REDACTED] x"),
            ("curl -u 'admin:p w' x", "curl -u 'admin:[REDACTED]' x"),
            ("/usr/bin/curl -U proxy:pw x", "/usr/bin/curl -U proxy:[REDACTED] x"),
            (
                "mysqladmin ping -h db -uroot -ps3cret",
                "mysqladmin ping -h db -uroot -p[REDACTED]",
            ),
            ("mysqladmin ping -p s3cret", "mysqladmin ping -p [REDACTED]"),
            ("mysql -p\"s3 cret\" db", "mysql -p\"[REDACTED]\" db"),
            (
                "mariadb-admin --password=s3cret ping",
                "mariadb-admin --password=[REDACTED] ping",
            ),
            (
                "anything --password s3cret --pass p2 --db-password=p3",
                "anything --password [REDACTED] --pass [REDACTED] --db-password=[REDACTED]",
            ),
            (
                "redis-cli -h cache -a s3cret ping",
                "redis-cli -h cache -a [REDACTED] ping",
            ),
            (
                "sshpass -p s3cret ssh -p 22 host",
                "sshpass -p [REDACTED] ssh -p 22 host",
            ),
            ("sshpass -ps3cret ssh host", "sshpass -p[REDACTED] ssh host"),
            (
                "docker login -u AWS -p s3cret 1.dkr.ecr",
                "docker login -u AWS -p [REDACTED] 1.dkr.ecr",
            ),
            ("PGPASSWORD=s3cret psql -h db", "PGPASSWORD=[REDACTED] psql -h db"),
            (
                "MYSQL_PWD='s3 cret' mysqladmin ping",
                "MYSQL_PWD='[REDACTED]' mysqladmin ping",
            ),
            (
                "env REDIS_PASSWORD=s3cret GITHUB_TOKEN=t0k API_SECRET=x",
                "env REDIS_PASSWORD=[REDACTED] GITHUB_TOKEN=[REDACTED] API_SECRET=[REDACTED]",
            ),
            (
                "openssl rsa -passin pass:s3cret -in k",
                "openssl rsa -passin pass:[REDACTED] -in k",
            ),
            (
                r#"["CMD", "curl", "-u", "admin:pw", "http://x"]"#,
                r#"["CMD", "curl", "-u", "admin:[REDACTED]", "http://x"]"#,
            ),
            (
                r#"["CMD","mysqladmin","ping","-p","s3cret"]"#,
                r#"["CMD","mysqladmin","ping","-p","[REDACTED]"]"#,
            ),
            (
                "sh -c \"redis-cli -a s3cret ping\"",
                "sh -c \"redis-cli -a [REDACTED] ping\"",
            ),
        ]);
        // Other commands' -p, prompts and references stay.
        unchanged(&[
            "docker run -p 8080:80 -u 1000:1000 nginx",
            "podman run -p 5432:5432 postgres",
            "mysql -p -h db",
            "mysqladmin ping -p 3306",
            "curl -u admin http://x",
            "curl -u admin:$PASS http://x",
            "sshpass -f /run/pw ssh -p 2222 host",
            "ssh -p 22 host; mysqladmin ping",
            "redis-cli -p 6379 ping",
            "kubectl port-forward -p 80",
        ]);
    }

    #[test]
    fn strip_controls_removes_invisible_characters() {
        assert_eq!(strip_controls("plain ascii\tand\nlines"), "plain ascii\tand\nlines");
        assert!(matches!(strip_controls("日本語のテキスト"), Cow::Borrowed(_)));
        assert_eq!(
            strip_controls("a\u{202e}b\u{2066}c\u{2069}d\u{200e}\u{200f}\u{61c}e"),
            "abcde"
        );
        assert_eq!(
            strip_controls("zw\u{200b}s\u{200c}p\u{200d}a\u{2060}c\u{feff}e"),
            "zwspace"
        );
        assert_eq!(strip_controls("tag\u{e0041}\u{e0042}s"), "tags");
        assert_eq!(strip_controls("日本\u{200b}語"), "日本語");
        assert_eq!(strip_controls("crlf\r\nlone\rcr"), "crlf\r\nlone cr");
        assert_eq!(strip_controls("\u{1b}[31mred\u{0}\u{9b}"), " [31mred  ");
        // Keys split by an invisible character are found once it is gone.
        assert_eq!(clean("key AKIA\u{200b}IOSFODNN7EXAMPLE"), "key [REDACTED]");
    }

    #[test]
    fn clean_json_cleans_every_string_and_key() {
        let mut value = serde_json::json!({
            "text": "pull https://u:pw@r/ \u{202e}",
            "list": [1, "AKIAIOSFODNN7EXAMPLE", {"k\u{200b}ey": "ok"}],
            "plain": "unchanged",
        });
        clean_json(&mut value);
        assert_eq!(
            value,
            serde_json::json!({
                "text": "pull https://u:[REDACTED]@r/ ",
                "list": [1, "[REDACTED]", {"key": "ok"}],
                "plain": "unchanged",
            })
        );
        let mut deep = serde_json::Value::String("x".into());
        for _ in 0..100_000 {
            deep = serde_json::Value::Array(vec![deep]);
        }
        clean_json(&mut deep);
        // serde_json drops recursively: let it go without overflowing the test thread's stack.
        let mut stack = vec![deep];
        while let Some(v) = stack.pop() {
            if let serde_json::Value::Array(items) = v {
                stack.extend(items);
            }
        }
    }

    /// CI's fixed seed and case counts; `ECS_DOCTOR_FUZZ_SCALE` and `ECS_DOCTOR_FUZZ_SEED` (as
    /// for tests/it/engine/properties.rs, scripts/fuzz.sh) make a longer or different run.
    fn runner(cases: u32) -> TestRunner {
        let var = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok());
        let scale = var("ECS_DOCTOR_FUZZ_SCALE").map_or(1, |s| u32::try_from(s).unwrap_or(u32::MAX));
        TestRunner::new(Config {
            cases: cases.saturating_mul(scale),
            rng_seed: RngSeed::Fixed(var("ECS_DOCTOR_FUZZ_SEED").unwrap_or(0x0ec5_d0c7)),
            failure_persistence: None,
            max_shrink_iters: 512,
            ..Config::default()
        })
    }

    /// A planted credential of kind `kind` with the random `secret` (letters and digits, a
    /// letter first), and the part that must not survive.
    fn plant(kind: usize, secret: &str) -> (String, String) {
        let key_id = format!(
            "AKIA{}",
            secret.to_ascii_uppercase().chars().cycle().take(16).collect::<String>()
        );
        let long: String = secret.chars().cycle().take(40).collect();
        let text = match kind {
            0 => format!("pull https://deploy:{secret}@registry.example.com/v2/"),
            1 => return (format!("key {key_id} used"), key_id),
            2 => format!("aws_secret_access_key={long}"),
            3 => format!("AWS_SECRET_ACCESS_KEY: {long}"),
            4 => format!("\"SecretAccessKey\": \"{long}\""),
            5 => format!("ghp_{long}"),
            6 => format!("github_pat_{long}"),
            7 => format!("xoxb-123456789-{secret}"),
            8 => format!("https://hooks.slack.com/services/T000/B000/{secret}"),
            9 => format!("https://discord.com/api/webhooks/1234/{secret}"),
            10 => format!("eyJhbGciOiJIUzI1NiJ9.eyJ{secret}.sig{secret}"),
            11 => format!("-----BEGIN RSA PRIVATE KEY-----\n{secret}\n-----END RSA PRIVATE KEY-----"),
            12 => format!("Authorization: Bearer {secret}"),
            13 => format!("Authorization: Basic {secret}"),
            14 => format!("authorization=token {secret}"),
            15 => format!("Authorization: AWS4-HMAC-SHA256 Credential={secret}"),
            16 => format!("Proxy-Authorization: Digest {secret}"),
            17 => format!("X-Api-Key: {secret}"),
            18 => format!("X-Auth-Token: {secret}"),
            19 => format!("curl -f -u admin:{secret} http://localhost/"),
            20 => format!("curl --user admin:{secret}"),
            21 => format!("mysqladmin ping -p{secret}"),
            22 => format!("mysql -u root -p {secret}"),
            23 => format!("mysqldump --password={secret} db"),
            24 => format!("mariadb --password {secret}"),
            25 => format!("tool --pass {secret}"),
            26 => format!("redis-cli -a {secret} ping"),
            27 => format!("sshpass -p {secret} ssh host"),
            28 => format!("PGPASSWORD={secret} psql"),
            29 => format!("MYSQL_PWD={secret} mysqladmin ping"),
            30 => format!("REDIS_PASSWORD={secret}"),
            31 => format!("docker login -u AWS -p {secret}"),
            32 => format!("sent Bearer {secret}"),
            _ => format!("GET https://api.example.com/?access_token={secret}"),
        };
        (text, secret.to_string())
    }

    const KINDS: usize = 34;

    #[test]
    fn planted_secrets_never_survive() {
        // A letter first (not a port), a digit inside (not an English word).
        let secret = "[A-Za-z][a-z]{3,8}[0-9][A-Za-z0-9]{4,16}";
        let around = "[ -~あ日本語]{0,16}";
        let strategy = (0..KINDS, secret, around, around);
        let result = runner(2048).run(&strategy, |(kind, secret, prefix, suffix)| {
            let (planted, hidden) = plant(kind, &secret);
            let text = format!("{prefix} {planted} {suffix}");
            for out in [clean(&text), redact(&text)] {
                prop_assert!(!out.contains(&hidden), "kind {kind}: {text:?} -> {out:?}");
            }
            let once = clean(&text);
            prop_assert_eq!(clean(&once), once.clone());
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }

    /// Pieces of every pattern, so random texts come close to (and just miss) each of them.
    const FRAGMENTS: &[&str] = &[
        "AKIAIOSFODNN7EXAMPLE",
        "AKIA",
        "://",
        "@",
        ":",
        "=",
        "-p",
        "-u",
        "-a",
        "curl",
        "mysql",
        "sshpass",
        "redis-cli",
        "docker",
        "login",
        "--password",
        "PASSWORD",
        "_TOKEN",
        "Authorization",
        "X-Api-Key",
        "Bearer ",
        "Basic ",
        "\"",
        "'",
        "\\",
        " ",
        "\n",
        "\r",
        ",",
        ";",
        "&",
        "?",
        "#",
        "/",
        "[REDACTED]",
        "ghp_",
        "github_pat_",
        "xoxb-",
        "eyJ",
        "-----BEGIN RSA PRIVATE KEY-----",
        "-----END RSA PRIVATE KEY-----",
        "PRIVATE KEY",
        "hooks.slack.com/services/",
        "discord.com/api/webhooks/",
        "?token=",
        "$X",
        "${X}",
        "日本",
        "\u{200b}",
        "\u{202e}",
        "abc123XYZ",
        "0123456789abcdefghijABCDEFGHIJ",
        "8080:80",
        "pass:",
        "-passin",
    ];

    fn soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
            1 => "[ -~]{0,3}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    fn idempotent(text: &str) -> Result<(), TestCaseError> {
        let once = clean(text);
        prop_assert_eq!(clean(&once), once.clone(), "clean twice differs; input {:?}", text);
        let once = redact(text);
        prop_assert_eq!(redact(&once), once.clone(), "redact twice differs; input {:?}", text);
        Ok(())
    }

    #[test]
    fn redaction_is_idempotent() {
        if let Err(e) = runner(4096).run(&soup(), |text| idempotent(&text)) {
            panic!("{e}");
        }
    }

    #[test]
    fn any_text_is_handled_without_panic() {
        // Arbitrary Unicode (controls, Japanese, surrogates' neighbours): no panic, idempotent.
        if let Err(e) = runner(512).run(&any::<String>(), |text| {
            let mut value = serde_json::json!({ text.clone(): [text.clone()] });
            clean_json(&mut value);
            idempotent(&text)
        }) {
            panic!("{e}");
        }
    }
}
