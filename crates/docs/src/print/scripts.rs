//! Text in any script (certified copies, list items, the translations of the agency's letters):
//! every character gets a face and a bidirectional level, lines are broken in logical order, and
//! each line's runs are put in visual order, each run shaped in its own face and direction.
//!
//! Faces: the text is cut into script runs (a character of no script of its own — space,
//! punctuation, digit, combining mark, joiner — goes with the run before it). A run is set in the
//! Noto face drawn for its script when there is one and it has every letter of the run, else in
//! the first face of the chain (DejaVu Sans, then the Noto faces in order) that has them all, else
//! letter by letter; a space or punctuation mark the run's face lacks takes the first face that
//! has it. A character no face has is an error naming it.
//!
//! Directions: the Unicode bidirectional algorithm cut down to what names, places, mentions and
//! plain translated paragraphs need, without explicit embeddings or isolates (rules W1, W2, W4, W7,
//! N0 in right-to-left paragraphs, N1, N2, I1, I2, L1, L2). In a left-to-right paragraph (the
//! default: names in a French document), level 0: right-to-left letters at level 1, numbers after
//! them (and Arabic-Indic digits) at level 2, neutrals between two right-to-left stretches at
//! level 1, everything else at level 0. In a right-to-left paragraph ([`Mixed::directed`]: an
//! Arabic or Dari translation), level 1: right-to-left letters at level 1, left-to-right letters
//! and all numbers at level 2; a pair of brackets takes one direction, as the text between them
//! and before them decide ("(Île-de-France)" inside a Dari sentence stays a pair); other neutrals
//! between two left-to-right stretches at level 2 and any other at level 1 (the text's ends count
//! as right to left). Trailing spaces take the paragraph's level; a line's runs are reordered from
//! the highest level down to 1, so that a right-to-left line reads from the right. A run at an odd
//! level is shaped right to left (the shaper mirrors its brackets).

use rustybuzz::{script, Direction, Script, UnicodeBuffer};

use super::fonts::{FaceId, Fonts, Weight};
use super::PrintError;

/// One character and what the itemizer decided for it.
#[derive(Debug, Clone, Copy)]
struct Item {
    c: char,
    face: FaceId,
    level: u8,
    class: Class,
    /// A Han or kana character: a line may break on either side of it.
    ideograph: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A letter of some script, written left to right or right to left.
    Strong { script: Script, rtl: bool },
    /// A digit: ASCII or extended Arabic-Indic (European numbers), or Arabic-Indic.
    Number { arabic: bool },
    /// White space and punctuation: they take the direction around them.
    Neutral,
    /// Combining marks, joiners and other characters of no script: they go with the one before.
    Attached,
}

/// A piece of a laid-out line: text in one face and one direction, with its width.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Piece {
    pub(super) text: String,
    pub(super) face: FaceId,
    pub(super) rtl: bool,
    pub(super) width: f32,
}

/// A laid-out line: its pieces in visual order (left to right), and its width (without the
/// trailing space kept at the end of a wrapped line for text extraction).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct MixedLine {
    pub(super) pieces: Vec<Piece>,
    pub(super) width: f32,
}

impl MixedLine {
    /// The width of the spaces the line starts with, in visual order: a right-to-left line's
    /// trailing spaces (kept for text extraction), which right alignment leaves out.
    pub(super) fn blank_start(&self) -> f32 {
        self.pieces.iter().take_while(|p| p.text.chars().all(is_break_space)).map(|p| p.width).sum()
    }

    /// The line's text in visual order (tests).
    #[cfg(test)]
    fn visual(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

/// Text ready to be wrapped: each character with its face and level.
pub(super) struct Mixed {
    items: Vec<Item>,
    /// The paragraph's level: 0 left to right, 1 right to left.
    base: u8,
}

impl Mixed {
    /// Itemizes `text` as a left-to-right paragraph, set in DejaVu Sans of `weight` wherever
    /// DejaVu Sans is the face chosen. Control white space (line breaks, tabs) becomes a space; a
    /// byte order mark is dropped.
    pub(super) fn new(fonts: &Fonts, weight: Weight, text: &str) -> Result<Mixed, PrintError> {
        Mixed::directed(fonts, weight, text, false)
    }

    /// [`Mixed::new`] with the paragraph's base direction: right to left when `rtl`.
    pub(super) fn directed(fonts: &Fonts, weight: Weight, text: &str, rtl: bool) -> Result<Mixed, PrintError> {
        let chars: Vec<char> = text
            .chars()
            .filter(|&c| c != '\u{FEFF}')
            .map(|c| if c.is_whitespace() && c.is_control() { ' ' } else { c })
            .collect();
        let classes: Vec<Class> = chars.iter().map(|&c| classify(c)).collect();
        let faces = faces(fonts, weight, text, &chars, &classes)?;
        let base = u8::from(rtl);
        let levels = levels(&chars, &classes, base);
        let items = chars
            .iter()
            .zip(&classes)
            .zip(faces.into_iter().zip(levels))
            .map(|((&c, &class), (face, level))| Item {
                c,
                face,
                level,
                class,
                ideograph: matches!(class, Class::Strong { script: s, .. }
                    if s == script::HAN || s == script::HIRAGANA || s == script::KATAKANA || s == script::BOPOMOFO),
            })
            .collect();
        Ok(Mixed { items, base })
    }

    /// Greedy line breaking at `width` points: after spaces and around ideographs; a stretch
    /// without such a break that is wider than a line is cut between characters (never before a
    /// combining mark or a joiner).
    pub(super) fn wrap(&self, fonts: &Fonts, size: f32, width: f32) -> Result<Vec<MixedLine>, PrintError> {
        let n = self.items.len();
        let mut breaks: Vec<usize> = (1..n).filter(|&i| self.can_break_before(i)).collect();
        breaks.push(n);
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        let mut used = 0.0;
        let mut seg_start = 0;
        for &seg_end in &breaks {
            let bare_end = self.trim_spaces(seg_start, seg_end);
            let bare = self.measure(fonts, seg_start, bare_end, size)?;
            let full = if bare_end == seg_end { bare } else { bare + self.measure(fonts, bare_end, seg_end, size)? };
            if start < seg_start && used + bare > width + 0.01 {
                ranges.push((start, seg_start));
                start = seg_start;
                used = 0.0;
            }
            if start == seg_start && bare > width + 0.01 {
                // Too wide for a line of its own: cut it.
                let mut from = seg_start;
                while from < bare_end {
                    let mut to = from + 1;
                    let mut next = to;
                    while next < bare_end {
                        next += 1;
                        while next < bare_end && !self.can_cut_before(next) {
                            next += 1;
                        }
                        if self.measure(fonts, from, next, size)? > width + 0.01 {
                            break;
                        }
                        to = next;
                    }
                    // At least one cluster per line, even when it alone is too wide.
                    while to < bare_end && !self.can_cut_before(to) {
                        to += 1;
                    }
                    if to >= bare_end {
                        break;
                    }
                    ranges.push((from, to));
                    from = to;
                }
                start = from;
                used = self.measure(fonts, from, seg_end, size)?;
            } else {
                used += full;
            }
            seg_start = seg_end;
        }
        if start < n {
            ranges.push((start, n));
        }
        ranges.into_iter().map(|(from, to)| self.line(fonts, from, to, size)).collect()
    }

    /// The whole text on one line, however wide.
    pub(super) fn single_line(&self, fonts: &Fonts, size: f32) -> Result<MixedLine, PrintError> {
        self.line(fonts, 0, self.items.len(), size)
    }

    fn can_break_before(&self, i: usize) -> bool {
        let (before, here) = (&self.items[i - 1], &self.items[i]);
        if is_break_space(here.c) {
            return false;
        }
        if is_break_space(before.c) {
            return true;
        }
        // Chinese breaks between characters, but not before punctuation or a mark.
        (before.ideograph || here.ideograph) && !matches!(here.class, Class::Neutral | Class::Attached)
    }

    fn can_cut_before(&self, i: usize) -> bool {
        self.items.get(i).is_none_or(|item| item.class != Class::Attached && !is_ignorable(item.c))
    }

    /// The end of `from..to` without its trailing spaces.
    fn trim_spaces(&self, from: usize, to: usize) -> usize {
        let mut end = to;
        while end > from && is_break_space(self.items[end - 1].c) {
            end -= 1;
        }
        end
    }

    /// Width of the characters `from..to`, each run in its face and direction.
    fn measure(&self, fonts: &Fonts, from: usize, to: usize, size: f32) -> Result<f32, PrintError> {
        let mut width = 0.0;
        for (text, face, level, _) in self.runs(from, to, to) {
            width += fonts.get(face).directed_width(&text, size, direction(level))?;
        }
        Ok(width)
    }

    /// Runs of one face and level over `from..to`, in logical order; the spaces from `trail` on
    /// are at the paragraph's level and in a run of their own (rule L1), marked true.
    fn runs(&self, from: usize, to: usize, trail: usize) -> Vec<(String, FaceId, u8, bool)> {
        let mut runs: Vec<(String, FaceId, u8, bool)> = Vec::new();
        for (i, item) in self.items.iter().enumerate().take(to).skip(from) {
            let trailing = i >= trail;
            let level = if trailing { self.base } else { item.level };
            match runs.last_mut() {
                Some((text, face, l, t)) if *face == item.face && *l == level && *t == trailing => text.push(item.c),
                _ => runs.push((item.c.to_string(), item.face, level, trailing)),
            }
        }
        runs
    }

    /// Lays out the characters `from..to` as one line: runs reordered (rule L2) and measured.
    fn line(&self, fonts: &Fonts, from: usize, to: usize, size: f32) -> Result<MixedLine, PrintError> {
        let trail = self.trim_spaces(from, to);
        let mut runs = self.runs(from, to, trail);
        let max = runs.iter().map(|r| r.2).max().unwrap_or(0);
        for level in (1..=max).rev() {
            let mut i = 0;
            while i < runs.len() {
                if runs[i].2 >= level {
                    let start = i;
                    while i < runs.len() && runs[i].2 >= level {
                        i += 1;
                    }
                    runs[start..i].reverse();
                } else {
                    i += 1;
                }
            }
        }
        let mut line = MixedLine::default();
        for (text, face, level, trailing) in runs {
            let width = fonts.get(face).directed_width(&text, size, direction(level))?;
            // The trailing spaces are drawn (for text extraction) but not measured; a space between
            // two runs is.
            if !trailing {
                line.width += width;
            }
            line.pieces.push(Piece { text, face, rtl: level % 2 == 1, width });
        }
        Ok(line)
    }
}

fn direction(level: u8) -> Direction {
    if level % 2 == 1 {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    }
}

/// A space a line may break after.
fn is_break_space(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}')
}

/// Default-ignorable characters: the shaper hides them, no face needs a glyph for them.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
    )
}

fn classify(c: char) -> Class {
    if c.is_ascii_digit() || ('\u{06F0}'..='\u{06F9}').contains(&c) {
        return Class::Number { arabic: false };
    }
    if ('\u{0660}'..='\u{0669}').contains(&c) {
        return Class::Number { arabic: true };
    }
    if c.is_ascii_alphabetic() {
        return Class::Strong { script: script::LATIN, rtl: false };
    }
    if c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(
            c,
            '\u{00A1}'..='\u{00BF}'
                | '\u{00D7}'
                | '\u{00F7}'
                | '\u{060C}'
                | '\u{061B}'
                | '\u{061F}'
                | '\u{066A}'..='\u{066D}'
                | '\u{2010}'..='\u{2027}'
                | '\u{2030}'..='\u{205E}'
                | '\u{3001}'..='\u{3003}'
                | '\u{3008}'..='\u{3011}'
                | '\u{3014}'..='\u{301F}'
                | '\u{FF01}'..='\u{FF0F}'
                | '\u{FF1A}'..='\u{FF20}'
        )
    {
        return Class::Neutral;
    }
    if c.is_ascii() || is_ignorable(c) {
        return Class::Attached;
    }
    // The shaper's own script data: a one-character buffer guesses its script and direction;
    // Common and Inherited characters come back as Unknown.
    let mut buffer = UnicodeBuffer::new();
    buffer.add(c, 0);
    buffer.guess_segment_properties();
    let script = buffer.script();
    if script == script::UNKNOWN {
        Class::Attached
    } else {
        Class::Strong { script, rtl: buffer.direction() == Direction::RightToLeft }
    }
}

/// The face of every character (see the module's documentation).
fn faces(
    fonts: &Fonts,
    weight: Weight,
    text: &str,
    chars: &[char],
    classes: &[Class],
) -> Result<Vec<FaceId>, PrintError> {
    let main = FaceId::Main(weight);
    let chain: Vec<FaceId> = std::iter::once(main).chain((0..fonts.fallback.len()).map(FaceId::Fallback)).collect();
    let covers = |face: FaceId, c: char| is_ignorable(c) || fonts.get(face).covers(c);
    let missing = |c: char| PrintError::Font {
        font: "DejaVuSans and the Noto fallback faces".to_owned(),
        message: format!("no glyph for {c:?} (U+{:04X}) in {text:?}", u32::from(c)),
    };

    // Script runs: a character of no script goes with the run before it (the first run, at the start).
    let strong = |class: &Class| match class {
        Class::Strong { script, .. } => Some(*script),
        _ => None,
    };
    let mut scripts: Vec<Option<Script>> = Vec::with_capacity(chars.len());
    let mut current = classes.iter().find_map(strong);
    for class in classes {
        if let Some(s) = strong(class) {
            current = Some(s);
        }
        scripts.push(current);
    }

    let mut faces = Vec::with_capacity(chars.len());
    let mut start = 0;
    while start < chars.len() {
        let run_script = scripts[start];
        let mut end = start;
        while end < chars.len() && scripts[end] == run_script {
            end += 1;
        }
        let letters: Vec<char> = (start..end).filter(|&i| strong(&classes[i]).is_some()).map(|i| chars[i]).collect();
        let preferred = run_script
            .and_then(|s| fonts.fallback.iter().position(|f| f.script == s))
            .map(FaceId::Fallback)
            .filter(|&face| letters.iter().all(|&c| covers(face, c)));
        let run_face =
            preferred.or_else(|| chain.iter().copied().find(|&face| letters.iter().all(|&c| covers(face, c))));
        let mut previous: Option<FaceId> = None;
        for i in start..end {
            let c = chars[i];
            let face = if strong(&classes[i]).is_some() {
                // Letter by letter only when no face has the whole run.
                let sticky = run_face.or(previous).filter(|&f| covers(f, c));
                let own = run_script
                    .and_then(|s| fonts.fallback.iter().position(|f| f.script == s))
                    .map(FaceId::Fallback)
                    .filter(|&f| covers(f, c));
                sticky.or(own).or_else(|| chain.iter().copied().find(|&f| covers(f, c))).ok_or_else(|| missing(c))?
            } else {
                let candidates = [previous, run_face].into_iter().flatten();
                candidates.chain(chain.iter().copied()).find(|&f| covers(f, c)).ok_or_else(|| missing(c))?
            };
            previous = Some(face);
            faces.push(face);
        }
        start = end;
    }
    Ok(faces)
}

/// The bidirectional level of every character in a paragraph of level `base` (0: left to right,
/// 1: right to left; see the module's documentation).
fn levels(chars: &[char], classes: &[Class], base: u8) -> Vec<u8> {
    let rtl_paragraph = base % 2 == 1;
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum T {
        L,
        R,
        /// A number after right-to-left text, or Arabic-Indic digits: level 2, and R for neutrals.
        Num,
        N,
    }
    // W1 (marks take the type before them), W2 and W7 (a European number takes the direction of
    // the strong text before it, or the paragraph's at its start).
    let mut types: Vec<T> = Vec::with_capacity(chars.len());
    let paragraph = if rtl_paragraph { T::R } else { T::L };
    let mut last_strong = paragraph;
    for class in classes {
        let t = match *class {
            Class::Strong { rtl: true, .. } => T::R,
            Class::Strong { rtl: false, .. } => T::L,
            Class::Number { arabic: true } => T::Num,
            Class::Number { arabic: false } => {
                if last_strong == T::R {
                    T::Num
                } else {
                    T::L
                }
            }
            Class::Neutral => T::N,
            Class::Attached => types.last().copied().unwrap_or(paragraph),
        };
        if let Class::Strong { rtl, .. } = class {
            last_strong = if *rtl { T::R } else { T::L };
        }
        types.push(t);
    }
    // W4: one separator between two numbers of the same kind is part of the number.
    for i in 1..types.len().saturating_sub(1) {
        let separator = matches!(chars[i], ',' | '.' | '/' | ':' | '+' | '-' | '\u{00A0}' | '\u{066B}' | '\u{066C}');
        if separator && types[i] == T::N && types[i - 1] == T::Num && types[i + 1] == T::Num {
            types[i] = T::Num;
        }
    }
    // N0, in a right-to-left paragraph: a pair of brackets takes one direction, the paragraph's
    // (right to left) when the text between them has some, else left to right when it has only
    // that and left-to-right text comes before the opening bracket; then it counts as strong.
    if rtl_paragraph {
        let strong = |t: T| match t {
            T::L => Some(T::L),
            T::R | T::Num => Some(T::R),
            T::N => None,
        };
        let neutral: Vec<bool> = types.iter().map(|&t| t == T::N).collect();
        for (open, close) in bracket_pairs(chars, &neutral) {
            let inside: Vec<T> = types[open + 1..close].iter().filter_map(|&t| strong(t)).collect();
            let resolved = if inside.contains(&T::R) {
                T::R
            } else if inside.contains(&T::L) {
                types[..open].iter().rev().find_map(|&t| strong(t)).unwrap_or(T::R)
            } else {
                continue;
            };
            types[open] = resolved;
            types[close] = resolved;
        }
    }
    // N1, N2: neutrals between two stretches of the same direction take it (numbers count as
    // right to left), any other the paragraph's. The text's ends count as the paragraph's direction.
    let mut i = 0;
    while i < types.len() {
        if types[i] != T::N {
            i += 1;
            continue;
        }
        let start = i;
        while i < types.len() && types[i] == T::N {
            i += 1;
        }
        let before = start.checked_sub(1).and_then(|j| types.get(j));
        let after = types.get(i);
        let resolved = if rtl_paragraph {
            let ltr = |t: Option<&T>| matches!(t, Some(T::L));
            if ltr(before) && ltr(after) {
                T::L
            } else {
                T::R
            }
        } else {
            let rtl = |t: Option<&T>| matches!(t, Some(T::R | T::Num));
            if rtl(before) && rtl(after) {
                T::R
            } else {
                T::L
            }
        };
        types[start..i].fill(resolved);
    }
    // I1 (left-to-right paragraph), I2 (right-to-left paragraph).
    types
        .into_iter()
        .map(|t| match (rtl_paragraph, t) {
            (false, T::L | T::N) => 0,
            (false, T::R) | (true, T::R | T::N) => 1,
            (false, T::Num) | (true, T::L | T::Num) => 2,
        })
        .collect()
}

/// The pairs of brackets of a text (rule BD16: an opening bracket and the next closing one of the
/// same kind at its nesting depth, both neutral), sorted by their opening bracket.
fn bracket_pairs(chars: &[char], neutral: &[bool]) -> Vec<(usize, usize)> {
    const DEPTH: usize = 63;
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut pairs = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if !neutral.get(i).copied().unwrap_or(false) {
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                if stack.len() == DEPTH {
                    break;
                }
                stack.push((c, i));
            }
            ')' | ']' | '}' => {
                let opening = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if let Some(depth) = stack.iter().rposition(|(o, _)| *o == opening) {
                    pairs.push((stack[depth].1, i));
                    stack.truncate(depth);
                }
            }
            _ => {}
        }
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::embedded().expect("fonts")
    }

    fn fallback_named(fonts: &Fonts, prefix: &str) -> FaceId {
        let i = fonts.fallback.iter().position(|f| f.face.name().starts_with(prefix)).expect("face");
        FaceId::Fallback(i)
    }

    fn one_line(fonts: &Fonts, text: &str) -> MixedLine {
        let mixed = Mixed::new(fonts, Weight::Regular, text).expect("itemized");
        mixed.single_line(fonts, 10.0).expect("line")
    }

    #[test]
    fn each_script_takes_its_face() {
        let fonts = fonts();
        let cases = [
            ("Иван Петров", FaceId::Main(Weight::Regular)),
            ("Nguyễn Văn Đức", FaceId::Main(Weight::Regular)),
            ("محمد احمدی", fallback_named(&fonts, "NotoSansArabic")),
            ("გიორგი ბერიძე", fallback_named(&fonts, "NotoSansGeorgian")),
            ("राम शर्मा", fallback_named(&fonts, "NotoSansDevanagari")),
            ("王伟", fallback_named(&fonts, "NotoSansSC")),
            ("အောင် ကျော်", fallback_named(&fonts, "NotoSansMyanmar")),
        ];
        for (text, face) in cases {
            let line = one_line(&fonts, text);
            assert!(line.pieces.iter().all(|p| p.face == face), "{text}: {line:?}");
            assert!(line.width > 0.0);
        }
    }

    #[test]
    fn punctuation_a_face_lacks_falls_back_to_dejavu() {
        let fonts = fonts();
        // Noto Sans Ethiopic has no comma.
        let line = one_line(&fonts, "ተስፋዬ, ገብረ");
        let ethiopic = fallback_named(&fonts, "NotoSansEthiopic");
        let faces: Vec<(String, FaceId)> = line.pieces.iter().map(|p| (p.text.clone(), p.face)).collect();
        assert_eq!(
            faces,
            vec![
                ("ተስፋዬ".to_owned(), ethiopic),
                (", ".to_owned(), FaceId::Main(Weight::Regular)),
                ("ገብረ".to_owned(), ethiopic)
            ]
        );
    }

    #[test]
    fn right_to_left_runs_are_reordered_and_shaped_right_to_left() {
        let fonts = fonts();
        let arabic = fallback_named(&fonts, "NotoSansArabic");
        let line = one_line(&fonts, "Kaboul / کابل");
        assert_eq!(line.visual(), "Kaboul / کابل");
        assert!(line.pieces.last().is_some_and(|p| p.rtl && p.face == arabic), "{line:?}");
        // A Latin word after Arabic: the slash between them stays left to right.
        let line = one_line(&fonts, "کابل / Kaboul");
        assert_eq!(line.pieces[0].text, "کابل");
        assert!(line.pieces[0].rtl);
        assert!(line.pieces[1..].iter().all(|p| !p.rtl), "{line:?}");
        // Two Arabic words and a number: the words right to left, the number left to right.
        let line = one_line(&fonts, "کابل ۱۲ هرات");
        let visual: Vec<(&str, bool)> = line.pieces.iter().map(|p| (p.text.as_str(), p.rtl)).collect();
        assert_eq!(visual, vec![(" هرات", true), ("۱۲", false), ("کابل ", true)], "{line:?}");
        // The space inside a right-to-left name stays in its run.
        let line = one_line(&fonts, "محمد احمدی");
        assert_eq!(line.pieces.len(), 1);
        assert!(line.pieces[0].rtl);
    }

    #[test]
    fn zwnj_stays_inside_the_pashto_word() {
        let fonts = fonts();
        let line = one_line(&fonts, "ګل\u{200C}آغا پوپلزی");
        assert_eq!(line.pieces.len(), 1, "{line:?}");
        assert!(line.pieces[0].rtl);
    }

    #[test]
    fn a_character_no_face_has_is_named() {
        let fonts = fonts();
        for (text, code) in [("Ali 🧑", "U+1F9D1"), ("x\u{0378}", "U+0378")] {
            let err = Mixed::new(&fonts, Weight::Regular, text).err().expect("refused");
            match err {
                PrintError::Font { message, .. } => assert!(message.contains(code), "{message}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let fonts = fonts();
        let text = "محمد احمدی Иван Петров राम शर्मा 王伟王伟王伟王伟王伟王伟王伟王伟王伟王伟 https://verifier.example.org/copie/0123456789abcdef0123456789abcdef";
        let mixed = Mixed::new(&fonts, Weight::Regular, text).expect("itemized");
        let lines = mixed.wrap(&fonts, 10.0, 120.0).expect("wrap");
        assert!(lines.len() > 3, "{lines:?}");
        assert!(lines.iter().all(|l| l.width <= 121.0), "{lines:?}");
        let all: String = lines.iter().flat_map(|l| l.pieces.iter()).map(|p| p.text.as_str()).collect();
        let mut sorted: Vec<char> = all.chars().filter(|c| *c != ' ').collect();
        let mut expected: Vec<char> = text.chars().filter(|c| *c != ' ').collect();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sorted, expected, "no character lost or doubled");
        assert!(mixed.wrap(&fonts, 10.0, 1000.0).expect("wrap").len() == 1);
    }

    /// The characters of a line in the order they are drawn, left to right (a right-to-left
    /// piece is shaped right to left: its last character is drawn first).
    fn drawn(line: &MixedLine) -> String {
        line.pieces.iter().map(|p| if p.rtl { p.text.chars().rev().collect() } else { p.text.clone() }).collect()
    }

    fn rtl_line(fonts: &Fonts, text: &str) -> MixedLine {
        let mixed = Mixed::directed(fonts, Weight::Regular, text, true).expect("itemized");
        mixed.single_line(fonts, 10.0).expect("line")
    }

    #[test]
    fn a_right_to_left_sentence_ends_with_its_period_at_the_left() {
        let fonts = fonts();
        let sentence = "ذهبت العائلة إلى المدرسة.";
        let line = rtl_line(&fonts, sentence);
        let drawn = drawn(&line);
        assert!(drawn.starts_with('.'), "{drawn:?}");
        assert_eq!(drawn, sentence.chars().rev().collect::<String>());
        assert!(line.pieces.iter().all(|p| p.rtl), "{line:?}");
        // The same sentence in a left-to-right paragraph (a name in a French letter): the period
        // stays at the right.
        assert!(drawn_ltr(&fonts, sentence).ends_with('.'));
    }

    fn drawn_ltr(fonts: &Fonts, text: &str) -> String {
        drawn(&one_line(fonts, text))
    }

    #[test]
    fn latin_words_and_numbers_keep_their_order_inside_a_right_to_left_sentence() {
        let fonts = fonts();
        let line = rtl_line(&fonts, "ذهب Ali إلى CADA Les Tilleuls في 2026 اليوم.");
        // The sentence reads from the right: its last word, then the number, … its first word at the
        // right end; each Latin stretch and the number read left to right.
        let expected = ".مويلا 2026 يف CADA Les Tilleuls ىلإ Ali بهذ";
        assert_eq!(drawn(&line), expected, "{line:?}");
        let ltr: Vec<&str> = line.pieces.iter().filter(|p| !p.rtl).map(|p| p.text.as_str()).collect();
        assert_eq!(ltr, vec!["2026", "CADA Les Tilleuls", "Ali"], "{line:?}");
        // An article number between Arabic words stays whole.
        let line = rtl_line(&fonts, "المادة L.551-15 من القانون");
        assert!(drawn(&line).contains("L.551-15"), "{line:?}");
    }

    #[test]
    fn right_to_left_levels() {
        let text: Vec<char> = "کا ab, 12 دب. cd".chars().collect();
        let classes: Vec<Class> = text.iter().map(|&c| classify(c)).collect();
        let s: String = levels(&text, &classes, 1).iter().map(|l| char::from(b'0' + l)).collect();
        //           ک ا _ a b , _ 1 2 _ د ب . _ c d
        assert_eq!(s, "1112222221111122");
        // The left-to-right paragraph is as before.
        let s: String = levels(&text, &classes, 0).iter().map(|l| char::from(b'0' + l)).collect();
        assert_eq!(s, "1100000000110000");
    }

    #[test]
    fn brackets_around_latin_text_in_a_right_to_left_sentence_stay_a_pair() {
        let fonts = fonts();
        // A Latin name in brackets, a number after it: without rule N0 the closing bracket would
        // join the Latin stretch and the opening one the Arabic text.
        let text = "شما (Île-de-France) 46 ٪ از";
        let chars: Vec<char> = text.chars().collect();
        let classes: Vec<Class> = chars.iter().map(|&c| classify(c)).collect();
        let levels = levels(&chars, &classes, 1);
        let (open, close) = (4, 18);
        assert_eq!((chars[open], chars[close]), ('(', ')'));
        assert_eq!((levels[open], levels[close]), (1, 1), "{levels:?}");
        // Drawn (the brackets mirrored by the right-to-left shaping: "(Île-de-France)" on paper).
        assert_eq!(drawn(&rtl_line(&fonts, text)), "زا ٪ 46 )Île-de-France( امش");
        // Right-to-left text inside the brackets: they go with it.
        let line = rtl_line(&fonts, "(مادهٔ L.551-3). چرا");
        assert!(line.pieces.iter().filter(|p| p.text.contains(['(', ')'])).all(|p| p.rtl), "{line:?}");
        assert_eq!(bracket_pairs(&['(', 'a', '[', ')', ']', ')'], &[true; 6]), vec![(0, 3)]);
    }

    #[test]
    fn a_space_between_two_runs_counts_in_the_width_of_the_line() {
        let fonts = fonts();
        // "4" and "décembre" are left to right, the space between them right to left: a piece of
        // its own, which the right alignment must count.
        let line = rtl_line(&fonts, "تا 4 décembre 2026 به");
        let drawn_width: f32 = line.pieces.iter().map(|p| p.width).sum();
        assert!((drawn_width - line.width).abs() < 0.01, "{line:?}");
        assert!(line.pieces.iter().any(|p| p.text == " "), "{line:?}");
    }

    #[test]
    fn a_wrapped_right_to_left_paragraph_starts_on_the_right_of_its_first_line() {
        let fonts = fonts();
        let text = "يمكنكم الاعتراض على هذا الاقتراح كتابيًا لدى المكتب الإقليمي للوكالة أو عبر حسابكم الآمن";
        let mixed = Mixed::directed(&fonts, Weight::Regular, text, true).expect("itemized");
        let lines = mixed.wrap(&fonts, 10.0, 120.0).expect("wrap");
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| l.width <= 121.0), "{lines:?}");
        // The first word is drawn last (at the right) on the first line; a wrapped line's trailing
        // space is drawn first (at the left), and right alignment leaves it out.
        assert!(drawn(&lines[0]).ends_with(&"يمكنكم".chars().rev().collect::<String>()), "{:?}", lines[0]);
        assert!(drawn(&lines[0]).starts_with(' ') && lines[0].blank_start() > 0.0, "{:?}", lines[0]);
        let last = lines.last().expect("a line");
        assert!(drawn(last).starts_with(&"الآمن".chars().rev().collect::<String>()), "{last:?}");
        assert!(last.blank_start().abs() < f32::EPSILON, "{last:?}");
    }

    #[test]
    fn dari_letters_are_set_in_the_arabic_face() {
        let fonts = fonts();
        let arabic = fallback_named(&fonts, "NotoSansArabic");
        let line = rtl_line(&fonts, "پ چ ژ گ ک ی — خانوادهٔ شما می\u{200C}توانند");
        assert!(line.pieces.iter().filter(|p| p.text.trim() != "—").all(|p| p.face == arabic), "{line:?}");
    }

    #[test]
    fn levels_follow_the_bidi_rules_we_need() {
        let text: Vec<char> = "ab کا 12, دب 3 cd".chars().collect();
        let classes: Vec<Class> = text.iter().map(|&c| classify(c)).collect();
        let levels = levels(&text, &classes, 0);
        let s: String = levels.iter().map(|l| char::from(b'0' + l)).collect();
        //           a b _ ک ا _ 1 2 , _ د ب _ 3 _ c d
        assert_eq!(s, "00011122111112000");
    }
}
