//! Arabic words as the library's index and queries take them: the same word written with or
//! without hamza on its alef, with a ta marbuta or a ha, with short vowels or without, with the
//! article or a clinging preposition, in the singular or a regular plural, gives one term. This is
//! Larkey's "light10" stemmer (Larkey, Ballesteros, Connell, *Light Stemming for Arabic
//! Information Retrieval*, 2007), which search engines use for Arabic: normalisation, then the
//! prefixes ال وال بال كال فال لل و, then the suffixes ها ان ات ون ين يه ية ه ة ي, as long as
//! enough of the word is left.

/// The prefixes stripped (the longest first), when at least two letters remain.
const PREFIXES: &[&str] = &["وال", "بال", "كال", "فال", "لل", "ال"];

/// The suffixes stripped (in this order, each at most once), when at least two letters remain.
const SUFFIXES: &[&str] = &["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

/// The normal form of an Arabic word: no short vowels or tatweel, one alef for its hamza forms,
/// ya for alef maksura, ha for ta marbuta.
pub fn normalise(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}' | '\u{0670}'))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            c => c,
        })
        .collect()
}

/// The term of an Arabic word (see the module): normalised, then light-stemmed. A word in
/// another script is returned as it is.
pub fn stem(word: &str) -> String {
    if !word.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        return word.to_owned();
    }
    let mut w: Vec<char> = normalise(word).chars().collect();
    // A clinging "and" (و) first, when what is left is long enough to be a word on its own.
    if w.len() > 3 && w[0] == 'و' {
        w.remove(0);
    }
    for prefix in PREFIXES {
        let p: Vec<char> = normalise(prefix).chars().collect();
        if w.len() >= p.len() + 2 && w.starts_with(&p) {
            w.drain(..p.len());
            break;
        }
    }
    for suffix in SUFFIXES {
        let s: Vec<char> = normalise(suffix).chars().collect();
        if w.len() >= s.len() + 2 && w.ends_with(&s) {
            w.truncate(w.len() - s.len());
        }
    }
    w.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hamza_forms_ta_marbuta_and_vowels_give_one_word() {
        assert_eq!(normalise("أحمد"), normalise("احمد"));
        assert_eq!(normalise("إسلام"), "اسلام");
        assert_eq!(normalise("مدرسة"), "مدرسه");
        assert_eq!(normalise("مُحَمَّد"), "محمد");
        assert_eq!(normalise("مستشفى"), "مستشفي");
    }

    #[test]
    fn the_article_clinging_words_and_plurals_go() {
        assert_eq!(stem("المدرسة"), stem("مدرسة"));
        assert_eq!(stem("والمعلمون"), stem("معلم"));
        assert_eq!(stem("بالحكومة"), stem("حكومة"));
        assert_eq!(stem("اللاجئين"), stem("لاجئ"));
        assert_eq!(stem("الاعتقالات"), stem("اعتقال"));
        // Short words keep what makes them a word.
        assert_eq!(stem("ال"), "ال");
        assert_eq!(stem("هي"), "هي");
        // Another script passes as it is.
        assert_eq!(stem("checkpoints"), "checkpoints");
    }
}
