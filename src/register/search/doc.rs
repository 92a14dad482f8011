//! What the search indexes: one activity's searchable texts and filter values, and its fields.

/// One processing activity as the search sees it: the searchable texts and the filter values.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// Activity id (returned in [`Hit::id`](super::Hit::id)).
    pub id: String,
    /// Controller (nämnd) id, for [`Filters::controller`](super::Filters::controller).
    pub controller: String,
    /// Behandlingsaktivitet.
    pub name: String,
    /// Ändamål med behandlingen.
    pub purpose: String,
    /// Kategorier av registrerade.
    pub subject_categories: Vec<String>,
    /// Kategorier av personuppgifter.
    pub data_categories: Vec<String>,
    /// Rättslig grund (not searched; for [`Filters::legal_basis`](super::Filters::legal_basis)).
    pub legal_basis: String,
}

/// A searched field of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Behandlingsaktivitet (weight 3.0).
    Name,
    /// Ändamål med behandlingen (weight 1.0).
    Purpose,
    /// Kategorier av registrerade (weight 2.0).
    SubjectCategories,
    /// Kategorier av personuppgifter (weight 1.5).
    DataCategories,
}

impl Field {
    /// All fields, in the order used for [`Hit::matched_fields`](super::Hit::matched_fields).
    pub const ALL: [Field; 4] = [
        Field::Name,
        Field::Purpose,
        Field::SubjectCategories,
        Field::DataCategories,
    ];

    /// The BM25F weight of the field.
    pub fn weight(self) -> f64 {
        match self {
            Field::Name => 3.0,
            Field::Purpose => 1.0,
            Field::SubjectCategories => 2.0,
            Field::DataCategories => 1.5,
        }
    }

    /// The field's position in [`Field::ALL`] (and in the per-field arrays of the index).
    pub(super) fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_of_a_field_is_its_place_in_all() {
        for (i, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(field.index(), i);
        }
    }

    #[test]
    fn the_name_weighs_most_and_the_purpose_least() {
        let weights = Field::ALL.map(Field::weight);
        assert_eq!(weights, [3.0, 1.0, 2.0, 1.5]);
    }

    #[test]
    fn fields_serialise_in_snake_case() {
        assert_eq!(
            serde_json::to_value(Field::ALL).unwrap(),
            serde_json::json!(["name", "purpose", "subject_categories", "data_categories"])
        );
    }
}
