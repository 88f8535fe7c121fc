//! Large pages: which changes' details are written as HTML, and the data block that holds the
//! others until they are opened.
//!
//! A browser must tokenise and build every element of a page before its script runs, so a page
//! with thousands of changes (the 50,000-resource benchmark plan has 3,162, with up to 50
//! blast-radius rows each) took 2.5–3 s to become interactive, almost all of it parsing the
//! details sections. The details of the worst changes are written as HTML until
//! [`STATIC_ROWS`] rows are spent (changes are sorted worst first, so these are the ones a
//! reviewer opens; past the budget even high-risk sections start closed, because opening all
//! 594 risky sections of that plan at load doubled the time, and the table lists every change
//! with its top finding); the details of the rest are the same markup, rendered by the same template
//! (`templates/change-body.html`), kept as JSON strings in one
//! `<script type="application/json">` data block, which the browser scans as raw text without
//! building anything. The page's script puts a change's markup in place when its section is
//! opened (by a click, a `#c<N>` link, or printing, which opens everything). Reports under the
//! budget (every ordinary pull request) are entirely static HTML.
//!
//! The data block is plan-derived text inside a script element, so [`ScriptJson`] is the only
//! way to make one: it escapes every `</` (which could close the element) and `<!` (which
//! could start the parser's escaped script state) with JSON escapes, which `JSON.parse` reads
//! back to the same text.

use super::view::ChangeRow;

/// Rows (a change, its findings, attributes and blast-radius entries) written as HTML before
/// the remaining changes' details go to the data block.
pub const STATIC_ROWS: usize = 1_500;

/// How many changes (worst first), costing `rows` rows each, keep their details as HTML
/// within `budget` rows: a prefix, so the changes written out are the worst ones.
pub fn static_prefix(rows: impl IntoIterator<Item = usize>, budget: usize) -> usize {
    let mut spent = 0usize;
    let mut kept = 0;
    for r in rows {
        spent = spent.saturating_add(r);
        if spent > budget {
            break;
        }
        kept += 1;
    }
    kept
}

impl ChangeRow {
    /// Rows its details section has: its summary, findings, attributes and blast-radius rows.
    pub fn rows(&self) -> usize {
        1 + self.findings.len() + self.attributes.len() + self.blast.len()
    }
}

/// A JSON array of strings that can stand inside `<script type="application/json">`.
pub struct ScriptJson(String);

impl ScriptJson {
    /// `items` as a JSON array of strings, with `</` and `<!` escaped.
    pub fn strings(items: &[String]) -> Self {
        let json = serde_json::to_string(items).expect("strings serialize");
        // Neither replacement makes the other's pattern; `\/` and `\u003c` are JSON escapes.
        ScriptJson(json.replace("</", "<\\/").replace("<!", "\\u003c!"))
    }
}

/// Written into the page as it is: [`ScriptJson::strings`] made it safe inside a script element.
impl askama::filters::HtmlSafe for ScriptJson {}

impl std::fmt::Display for ScriptJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{static_prefix, ScriptJson};

    #[test]
    fn the_worst_changes_are_written_until_the_budget_is_spent() {
        assert_eq!(static_prefix([3, 4, 5], 100), 3, "all fit");
        assert_eq!(static_prefix([3, 4, 5], 7), 2, "exactly spent");
        assert_eq!(static_prefix([3, 4, 5], 6), 1);
        assert_eq!(
            static_prefix([3, 1, 1], 2),
            0,
            "a prefix: nothing after the first that does not fit"
        );
        assert_eq!(
            static_prefix([3], 0),
            0,
            "0: every change in the data block"
        );
        assert_eq!(
            static_prefix([usize::MAX - 1, 2], usize::MAX - 1),
            1,
            "no overflow"
        );
    }

    #[test]
    fn nothing_can_close_the_script_element() {
        let items = vec![
            "</script><script>alert(1)</script>".to_string(),
            "<!-- <script> </SCRIPT >".to_string(),
            "a<b".to_string(),
        ];
        let json = ScriptJson::strings(&items);
        let lower = json.to_string().to_ascii_lowercase();
        assert!(!lower.contains("</"), "{lower}");
        assert!(!lower.contains("<!"), "{lower}");
        let back: Vec<String> = serde_json::from_str(&json.to_string()).unwrap();
        assert_eq!(back, items, "JSON.parse reads the same text back");
    }
}
