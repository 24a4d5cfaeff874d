"""Offers, their negotiation worksheets and the exchange rates now belong to the offers app,
whose first migration takes them over with their tables as they are. Here the pipeline lets go
of them in Django's record only: nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('pipeline', '0005_opportunity_organization_restrict'),
        ('offers', '0001_offers_from_pipeline'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='NegotiationStep'),
                migrations.DeleteModel(name='MarketFigure'),
                migrations.DeleteModel(name='Negotiation'),
                migrations.DeleteModel(name='Offer'),
                migrations.DeleteModel(name='ExchangeRate'),
            ],
            database_operations=[],
        ),
    ]
