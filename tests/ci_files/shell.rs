//! Shell words, to find the flags a script or a CI file passes to keyblast.

#[derive(Debug, Clone)]
pub(super) struct Word {
    pub(super) text: String,
    /// No `$` outside single quotes: the text is what the shell passes.
    pub(super) literal: bool,
    /// An unquoted operator: `;` `|` `||` `&&` `&` `(` `)` `>` `<`.
    pub(super) op: bool,
}

/// A small shell tokenizer: quotes, backslashes, operators, `#` comments.
pub(super) fn shell_words(line: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut literal = true;
    let mut started = false;
    let mut chars = line.chars().peekable();
    let flush = |out: &mut Vec<Word>, cur: &mut String, literal: &mut bool, started: &mut bool| {
        if *started {
            out.push(Word {
                text: std::mem::take(cur),
                literal: *literal,
                op: false,
            });
        }
        *literal = true;
        *started = false;
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                started = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                started = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                cur.push(e);
                            }
                        }
                        '$' => {
                            literal = false;
                            cur.push(d);
                        }
                        _ => cur.push(d),
                    }
                }
            }
            '\\' => {
                started = true;
                if let Some(e) = chars.next() {
                    cur.push(e);
                }
            }
            '$' => {
                started = true;
                literal = false;
                cur.push(c);
                // ${...} and $(...) may hold quotes and operators: take them whole.
                match chars.peek() {
                    Some('{') => take_balanced(&mut chars, '{', '}', &mut cur),
                    Some('(') => take_balanced(&mut chars, '(', ')', &mut cur),
                    _ => {}
                }
            }
            '#' if !started => break,
            c if c.is_whitespace() => flush(&mut out, &mut cur, &mut literal, &mut started),
            ';' | '|' | '&' | '(' | ')' | '<' | '>' => {
                flush(&mut out, &mut cur, &mut literal, &mut started);
                let mut op = c.to_string();
                if (c == '|' || c == '&') && chars.peek() == Some(&c) {
                    op.push(chars.next().unwrap());
                }
                out.push(Word {
                    text: op,
                    literal: true,
                    op: true,
                });
            }
            _ => {
                started = true;
                cur.push(c);
            }
        }
    }
    flush(&mut out, &mut cur, &mut literal, &mut started);
    out
}

/// Moves `open ... close` (nested pairs included) from `chars` to `cur`; `chars` starts at `open`.
fn take_balanced(
    chars: &mut impl Iterator<Item = char>,
    open: char,
    close: char,
    cur: &mut String,
) {
    let mut depth = 0;
    for d in chars {
        cur.push(d);
        if d == open {
            depth += 1;
        } else if d == close {
            depth -= 1;
            if depth == 0 {
                break;
            }
        }
    }
}
