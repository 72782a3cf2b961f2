"""Integer `__in` lookups that ignore values the database column cannot hold.

Django already turns an out-of-range integer in `exact`, `gt`, `lt` (and so
`ModelChoiceField`) into "no match", but not in `__in`: a tampered multiple-choice POST
such as `types=99999999999999999999` reached SQLite, whose driver raised OverflowError
(a 500) where the form should say "Select a valid choice". Such a value can never equal
a stored one, so leaving it out of the list changes no result on any database.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def as_sql(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().as_sql(compiler, connection)
