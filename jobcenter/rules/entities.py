"""OpenFisca entities: the person and the family (the unit of assessment).

A family is one adult, or two adults who are married or cohabiting: the
persons whose incomes are assessed together (LAS § 26 before 1 July 2025,
mutual maintenance duty; cohabitants included since 2014). Children are not
persons of the simulation: they enter as facts of the adults (how many
children each adult has in custody, how many the family has), which is all
the rates need and keeps a million-person run lean.
"""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="En voksen i familien",
    doc="An adult whose help is assessed, or whose income counts for a spouse.",
    is_person=True,
)

Family = build_entity(
    key="family",
    plural="families",
    label="Familie (enlig eller ægtefæller/samlevende)",
    doc="One adult, or two married or cohabiting adults, assessed together.",
    roles=[
        {
            "key": "partner",
            "plural": "partners",
            "label": "Ansøger eller ægtefælle/samlever",
            "max": 2,
        }
    ],
)

entities = [Person, Family]
