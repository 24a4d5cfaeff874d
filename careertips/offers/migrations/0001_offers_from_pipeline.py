"""Offers, their negotiation worksheets and the exchange rates move here from the pipeline app.

The tables stay where they are (each model names its old `db_table`), so this migration and
pipeline's 0006 change only Django's record of which app owns the models: no row is copied or
touched. The content types follow the models, keeping any permission or admin history that
refers to them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ["offer", "negotiation", "marketfigure", "negotiationstep", "exchangerate"]


def _relabel(apps, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new, model__in=MODELS).values_list("model", flat=True))
    ContentType.objects.filter(app_label=old, model__in=[m for m in MODELS if m not in taken]).update(app_label=new)


def content_types_to_offers(apps, schema_editor):
    _relabel(apps, old="pipeline", new="offers")


def content_types_to_pipeline(apps, schema_editor):
    _relabel(apps, old="offers", new="pipeline")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('pipeline', '0005_opportunity_organization_restrict'),
        ('stories', '0003_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Offer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('received_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='offer date')),
                        ('currency', models.CharField(choices=[('USD', 'USD — US dollar'), ('EUR', 'EUR — Euro'), ('GBP', 'GBP — Pound sterling'), ('CAD', 'CAD — Canadian dollar'), ('AUD', 'AUD — Australian dollar'), ('NZD', 'NZD — New Zealand dollar'), ('CHF', 'CHF — Swiss franc'), ('JPY', 'JPY — Japanese yen'), ('CNY', 'CNY — Chinese yuan'), ('HKD', 'HKD — Hong Kong dollar'), ('SGD', 'SGD — Singapore dollar'), ('INR', 'INR — Indian rupee'), ('KRW', 'KRW — South Korean won'), ('SEK', 'SEK — Swedish krona'), ('NOK', 'NOK — Norwegian krone'), ('DKK', 'DKK — Danish krone'), ('PLN', 'PLN — Polish zloty'), ('CZK', 'CZK — Czech koruna'), ('HUF', 'HUF — Hungarian forint'), ('RON', 'RON — Romanian leu'), ('TRY', 'TRY — Turkish lira'), ('ILS', 'ILS — Israeli shekel'), ('AED', 'AED — UAE dirham'), ('SAR', 'SAR — Saudi riyal'), ('ZAR', 'ZAR — South African rand'), ('NGN', 'NGN — Nigerian naira'), ('KES', 'KES — Kenyan shilling'), ('EGP', 'EGP — Egyptian pound'), ('MXN', 'MXN — Mexican peso'), ('BRL', 'BRL — Brazilian real'), ('ARS', 'ARS — Argentine peso'), ('CLP', 'CLP — Chilean peso'), ('COP', 'COP — Colombian peso'), ('PHP', 'PHP — Philippine peso'), ('IDR', 'IDR — Indonesian rupiah'), ('MYR', 'MYR — Malaysian ringgit'), ('THB', 'THB — Thai baht'), ('VND', 'VND — Vietnamese dong'), ('TWD', 'TWD — New Taiwan dollar'), ('PKR', 'PKR — Pakistani rupee')], default='USD', max_length=3)),
                        ('base_salary', models.PositiveBigIntegerField(verbose_name='base salary')),
                        ('bonus_kind', models.CharField(choices=[('none', 'No bonus'), ('amount', 'A target amount'), ('percent', 'A percent of base salary')], default='none', max_length=10, verbose_name='bonus')),
                        ('bonus_amount', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='target bonus')),
                        ('bonus_percent', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='bonus percent')),
                        ('equity_kind', models.CharField(choices=[('none', 'No equity'), ('per_year', 'A value per year'), ('grant', 'A grant that vests over years')], default='none', max_length=10, verbose_name='equity')),
                        ('equity_amount', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='equity value')),
                        ('vesting_years', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='vesting years')),
                        ('sign_on_bonus', models.PositiveBigIntegerField(blank=True, default=0, verbose_name='sign-on bonus')),
                        ('benefits', models.TextField(blank=True, max_length=5000)),
                        ('benefits_value', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='benefits value per year')),
                        ('start_date', models.DateField(blank=True, null=True)),
                        ('decision_deadline', models.DateField(blank=True, null=True)),
                        ('notes', models.TextField(blank=True, max_length=20000)),
                        ('opportunity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to='pipeline.opportunity')),
                    ],
                    options={
                        'db_table': 'pipeline_offer',
                        'ordering': ['-received_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Negotiation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('basis', models.CharField(choices=[('base', 'Base salary'), ('annual', 'Annualised total (base, bonus, equity, benefits)')], default='base', max_length=10, verbose_name='targets are for')),
                        ('target', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('walk_away', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='walk-away')),
                        ('stories', models.ManyToManyField(blank=True, related_name='negotiations', to='stories.story')),
                        ('offer', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='negotiation', to='offers.offer')),
                    ],
                    options={
                        'db_table': 'pipeline_negotiation',
                    },
                ),
                migrations.CreateModel(
                    name='ExchangeRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('from_currency', models.CharField(choices=[('USD', 'USD — US dollar'), ('EUR', 'EUR — Euro'), ('GBP', 'GBP — Pound sterling'), ('CAD', 'CAD — Canadian dollar'), ('AUD', 'AUD — Australian dollar'), ('NZD', 'NZD — New Zealand dollar'), ('CHF', 'CHF — Swiss franc'), ('JPY', 'JPY — Japanese yen'), ('CNY', 'CNY — Chinese yuan'), ('HKD', 'HKD — Hong Kong dollar'), ('SGD', 'SGD — Singapore dollar'), ('INR', 'INR — Indian rupee'), ('KRW', 'KRW — South Korean won'), ('SEK', 'SEK — Swedish krona'), ('NOK', 'NOK — Norwegian krone'), ('DKK', 'DKK — Danish krone'), ('PLN', 'PLN — Polish zloty'), ('CZK', 'CZK — Czech koruna'), ('HUF', 'HUF — Hungarian forint'), ('RON', 'RON — Romanian leu'), ('TRY', 'TRY — Turkish lira'), ('ILS', 'ILS — Israeli shekel'), ('AED', 'AED — UAE dirham'), ('SAR', 'SAR — Saudi riyal'), ('ZAR', 'ZAR — South African rand'), ('NGN', 'NGN — Nigerian naira'), ('KES', 'KES — Kenyan shilling'), ('EGP', 'EGP — Egyptian pound'), ('MXN', 'MXN — Mexican peso'), ('BRL', 'BRL — Brazilian real'), ('ARS', 'ARS — Argentine peso'), ('CLP', 'CLP — Chilean peso'), ('COP', 'COP — Colombian peso'), ('PHP', 'PHP — Philippine peso'), ('IDR', 'IDR — Indonesian rupiah'), ('MYR', 'MYR — Malaysian ringgit'), ('THB', 'THB — Thai baht'), ('VND', 'VND — Vietnamese dong'), ('TWD', 'TWD — New Taiwan dollar'), ('PKR', 'PKR — Pakistani rupee')], max_length=3, verbose_name='from')),
                        ('to_currency', models.CharField(choices=[('USD', 'USD — US dollar'), ('EUR', 'EUR — Euro'), ('GBP', 'GBP — Pound sterling'), ('CAD', 'CAD — Canadian dollar'), ('AUD', 'AUD — Australian dollar'), ('NZD', 'NZD — New Zealand dollar'), ('CHF', 'CHF — Swiss franc'), ('JPY', 'JPY — Japanese yen'), ('CNY', 'CNY — Chinese yuan'), ('HKD', 'HKD — Hong Kong dollar'), ('SGD', 'SGD — Singapore dollar'), ('INR', 'INR — Indian rupee'), ('KRW', 'KRW — South Korean won'), ('SEK', 'SEK — Swedish krona'), ('NOK', 'NOK — Norwegian krone'), ('DKK', 'DKK — Danish krone'), ('PLN', 'PLN — Polish zloty'), ('CZK', 'CZK — Czech koruna'), ('HUF', 'HUF — Hungarian forint'), ('RON', 'RON — Romanian leu'), ('TRY', 'TRY — Turkish lira'), ('ILS', 'ILS — Israeli shekel'), ('AED', 'AED — UAE dirham'), ('SAR', 'SAR — Saudi riyal'), ('ZAR', 'ZAR — South African rand'), ('NGN', 'NGN — Nigerian naira'), ('KES', 'KES — Kenyan shilling'), ('EGP', 'EGP — Egyptian pound'), ('MXN', 'MXN — Mexican peso'), ('BRL', 'BRL — Brazilian real'), ('ARS', 'ARS — Argentine peso'), ('CLP', 'CLP — Chilean peso'), ('COP', 'COP — Colombian peso'), ('PHP', 'PHP — Philippine peso'), ('IDR', 'IDR — Indonesian rupiah'), ('MYR', 'MYR — Malaysian ringgit'), ('THB', 'THB — Thai baht'), ('VND', 'VND — Vietnamese dong'), ('TWD', 'TWD — New Taiwan dollar'), ('PKR', 'PKR — Pakistani rupee')], max_length=3, verbose_name='to')),
                        ('rate', models.DecimalField(decimal_places=10, max_digits=20)),
                        ('as_of', models.DateField(default=django.utils.timezone.localdate, verbose_name='as of')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'pipeline_exchangerate',
                        'ordering': ['from_currency', 'to_currency'],
                        'constraints': [models.UniqueConstraint(fields=('owner', 'from_currency', 'to_currency'), name='exchangerate_one_per_pair'), models.CheckConstraint(condition=models.Q(('from_currency', models.F('to_currency')), _negated=True), name='exchangerate_two_currencies', violation_error_message='Choose two different currencies.'), models.CheckConstraint(condition=models.Q(('rate__gt', 0)), name='exchangerate_rate_positive'), models.CheckConstraint(condition=models.Q(('from_currency__in', ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'JPY', 'CNY', 'HKD', 'SGD', 'INR', 'KRW', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'RON', 'TRY', 'ILS', 'AED', 'SAR', 'ZAR', 'NGN', 'KES', 'EGP', 'MXN', 'BRL', 'ARS', 'CLP', 'COP', 'PHP', 'IDR', 'MYR', 'THB', 'VND', 'TWD', 'PKR']), ('to_currency__in', ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'JPY', 'CNY', 'HKD', 'SGD', 'INR', 'KRW', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'RON', 'TRY', 'ILS', 'AED', 'SAR', 'ZAR', 'NGN', 'KES', 'EGP', 'MXN', 'BRL', 'ARS', 'CLP', 'COP', 'PHP', 'IDR', 'MYR', 'THB', 'VND', 'TWD', 'PKR'])), name='exchangerate_currencies_known')],
                    },
                ),
                migrations.CreateModel(
                    name='MarketFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('source', models.CharField(max_length=200)),
                        ('url', models.URLField(blank=True, max_length=1000, verbose_name='web address')),
                        ('low', models.PositiveBigIntegerField()),
                        ('high', models.PositiveBigIntegerField()),
                        ('currency', models.CharField(choices=[('USD', 'USD — US dollar'), ('EUR', 'EUR — Euro'), ('GBP', 'GBP — Pound sterling'), ('CAD', 'CAD — Canadian dollar'), ('AUD', 'AUD — Australian dollar'), ('NZD', 'NZD — New Zealand dollar'), ('CHF', 'CHF — Swiss franc'), ('JPY', 'JPY — Japanese yen'), ('CNY', 'CNY — Chinese yuan'), ('HKD', 'HKD — Hong Kong dollar'), ('SGD', 'SGD — Singapore dollar'), ('INR', 'INR — Indian rupee'), ('KRW', 'KRW — South Korean won'), ('SEK', 'SEK — Swedish krona'), ('NOK', 'NOK — Norwegian krone'), ('DKK', 'DKK — Danish krone'), ('PLN', 'PLN — Polish zloty'), ('CZK', 'CZK — Czech koruna'), ('HUF', 'HUF — Hungarian forint'), ('RON', 'RON — Romanian leu'), ('TRY', 'TRY — Turkish lira'), ('ILS', 'ILS — Israeli shekel'), ('AED', 'AED — UAE dirham'), ('SAR', 'SAR — Saudi riyal'), ('ZAR', 'ZAR — South African rand'), ('NGN', 'NGN — Nigerian naira'), ('KES', 'KES — Kenyan shilling'), ('EGP', 'EGP — Egyptian pound'), ('MXN', 'MXN — Mexican peso'), ('BRL', 'BRL — Brazilian real'), ('ARS', 'ARS — Argentine peso'), ('CLP', 'CLP — Chilean peso'), ('COP', 'COP — Colombian peso'), ('PHP', 'PHP — Philippine peso'), ('IDR', 'IDR — Indonesian rupiah'), ('MYR', 'MYR — Malaysian ringgit'), ('THB', 'THB — Thai baht'), ('VND', 'VND — Vietnamese dong'), ('TWD', 'TWD — New Taiwan dollar'), ('PKR', 'PKR — Pakistani rupee')], default='USD', max_length=3)),
                        ('observed_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='as of')),
                        ('negotiation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='market_figures', to='offers.negotiation')),
                    ],
                    options={
                        'db_table': 'pipeline_marketfigure',
                        'ordering': ['-observed_on', '-id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('source', ''), _negated=True), name='marketfigure_has_source'), models.CheckConstraint(condition=models.Q(('high__lte', 999999999999), ('low__gt', 0), ('low__lte', models.F('high'))), name='marketfigure_range_ordered', violation_error_message='The high figure cannot be below the low one.'), models.CheckConstraint(condition=models.Q(('currency__in', ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'JPY', 'CNY', 'HKD', 'SGD', 'INR', 'KRW', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'RON', 'TRY', 'ILS', 'AED', 'SAR', 'ZAR', 'NGN', 'KES', 'EGP', 'MXN', 'BRL', 'ARS', 'CLP', 'COP', 'PHP', 'IDR', 'MYR', 'THB', 'VND', 'TWD', 'PKR'])), name='marketfigure_currency_known')],
                    },
                ),
                migrations.CreateModel(
                    name='NegotiationStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('happened_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                        ('asked', models.TextField(max_length=2000, verbose_name='what I asked')),
                        ('answered', models.TextField(blank=True, max_length=2000, verbose_name='what they answered')),
                        ('outcome', models.CharField(choices=[('waiting', 'Waiting for an answer'), ('agreed', 'Agreed'), ('partly', 'Partly agreed'), ('countered', 'They countered'), ('declined', 'Declined')], default='waiting', max_length=10)),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('negotiation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='offers.negotiation')),
                    ],
                    options={
                        'db_table': 'pipeline_negotiationstep',
                        'ordering': ['happened_on', 'recorded_at', 'id'],
                        'indexes': [models.Index(fields=['negotiation', 'happened_on'], name='pipeline_ne_negotia_e925fe_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('asked', ''), _negated=True), name='negotiationstep_has_ask'), models.CheckConstraint(condition=models.Q(('outcome__in', ['waiting', 'agreed', 'partly', 'countered', 'declined'])), name='negotiationstep_outcome_valid')],
                    },
                ),
                migrations.AddIndex(
                    model_name='offer',
                    index=models.Index(fields=['opportunity', '-received_on'], name='pipeline_of_opportu_082473_idx'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.CheckConstraint(condition=models.Q(('base_salary__gt', 0), ('base_salary__lte', 999999999999)), name='offer_base_salary_range'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('bonus_amount__isnull', True), ('bonus_amount__lte', 999999999999), _connector='OR'), models.Q(('equity_amount__isnull', True), ('equity_amount__lte', 999999999999), _connector='OR'), models.Q(('sign_on_bonus__isnull', True), ('sign_on_bonus__lte', 999999999999), _connector='OR'), models.Q(('benefits_value__isnull', True), ('benefits_value__lte', 999999999999), _connector='OR')), name='offer_amounts_capped'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('bonus_amount__isnull', True), ('bonus_kind', 'none'), ('bonus_percent__isnull', True)), models.Q(('bonus_amount__isnull', False), ('bonus_kind', 'amount'), ('bonus_percent__isnull', True)), models.Q(('bonus_amount__isnull', True), ('bonus_kind', 'percent'), ('bonus_percent__gt', 0), ('bonus_percent__isnull', False), ('bonus_percent__lte', 200)), _connector='OR'), name='offer_bonus_explicit'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('equity_amount__isnull', True), ('equity_kind', 'none'), ('vesting_years__isnull', True)), models.Q(('equity_amount__isnull', False), ('equity_kind__in', ['per_year', 'grant']), ('vesting_years__gte', 1), ('vesting_years__isnull', False), ('vesting_years__lte', 10)), _connector='OR'), name='offer_equity_explicit'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.CheckConstraint(condition=models.Q(('start_date__isnull', True), ('start_date__gte', models.F('received_on')), _connector='OR'), name='offer_start_after_offer', violation_error_message='The start date cannot be before the offer date.'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.CheckConstraint(condition=models.Q(('decision_deadline__isnull', True), ('decision_deadline__gte', models.F('received_on')), _connector='OR'), name='offer_deadline_after_offer', violation_error_message='The decision deadline cannot be before the offer date.'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.CheckConstraint(condition=models.Q(('currency__in', ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'JPY', 'CNY', 'HKD', 'SGD', 'INR', 'KRW', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'RON', 'TRY', 'ILS', 'AED', 'SAR', 'ZAR', 'NGN', 'KES', 'EGP', 'MXN', 'BRL', 'ARS', 'CLP', 'COP', 'PHP', 'IDR', 'MYR', 'THB', 'VND', 'TWD', 'PKR'])), name='offer_currency_known', violation_error_message='Choose a currency from the list.'),
                ),
                migrations.AddConstraint(
                    model_name='negotiation',
                    constraint=models.CheckConstraint(condition=models.Q(('target__isnull', True), models.Q(('target__gt', 0), ('target__lte', 999999999999)), _connector='OR'), name='negotiation_target_range'),
                ),
                migrations.AddConstraint(
                    model_name='negotiation',
                    constraint=models.CheckConstraint(condition=models.Q(('walk_away__isnull', True), models.Q(('walk_away__gt', 0), ('walk_away__lte', 999999999999)), _connector='OR'), name='negotiation_walk_away_range'),
                ),
                migrations.AddConstraint(
                    model_name='negotiation',
                    constraint=models.CheckConstraint(condition=models.Q(('target__isnull', True), ('walk_away__isnull', True), ('walk_away__lte', models.F('target')), _connector='OR'), name='negotiation_walk_away_not_above_target', violation_error_message='Your walk-away cannot be above your target.'),
                ),
                migrations.AddConstraint(
                    model_name='negotiation',
                    constraint=models.CheckConstraint(condition=models.Q(('basis__in', ['base', 'annual'])), name='negotiation_basis_valid'),
                ),
            ],
            # The tables were made by pipeline's 0003 and 0004 and keep their names.
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_offers, content_types_to_pipeline),
    ]
