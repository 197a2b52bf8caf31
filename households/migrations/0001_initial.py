# The whole history collapsed into one initial migration before the first deployment.

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('groups', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        # unaccent() is only STABLE (it reads a dictionary), so it cannot feed a generated column or
        # an index; this wrapper names the dictionary explicitly and is safe to declare IMMUTABLE.
        migrations.RunSQL(
            sql="""
                CREATE OR REPLACE FUNCTION welzijn_unaccent(text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
            """,
            reverse_sql="DROP FUNCTION IF EXISTS welzijn_unaccent(text);",
        ),
        migrations.CreateModel(
            name='Household',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('display_name', models.CharField(help_text='Zoals jullie het gezin noemen, bv. Familie Peeters.', max_length=150, verbose_name='naam van het gezin')),
                ('street', models.CharField(blank=True, max_length=150, verbose_name='straat')),
                ('house_number', models.CharField(blank=True, max_length=10, verbose_name='huisnummer')),
                ('box', models.CharField(blank=True, max_length=10, verbose_name='bus')),
                ('postcode', models.CharField(blank=True, max_length=4, validators=[django.core.validators.RegexValidator('^[1-9][0-9]{3}$', 'Een Belgische postcode heeft 4 cijfers, bv. 8000.', code='postcode')], verbose_name='postcode')),
                ('municipality', models.CharField(blank=True, max_length=100, verbose_name='gemeente')),
                ('phone', models.CharField(blank=True, max_length=30, validators=[django.core.validators.RegexValidator('^\\+?[0-9][0-9 ./()-]{7,19}$', 'Dit is geen geldig telefoonnummer. Gebruik cijfers, eventueel met spaties, bv. 0470 12 34 56 of +32 470 12 34 56.', code='phone')], verbose_name='telefoon')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mailadres')),
                ('languages', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('nl', 'Nederlands'), ('fr', 'Frans'), ('en', 'Engels'), ('ar', 'Arabisch'), ('tr', 'Turks'), ('ber', 'Berbers'), ('pl', 'Pools'), ('ro', 'Roemeens'), ('bg', 'Bulgaars'), ('ru', 'Russisch'), ('uk', 'Oekraïens'), ('es', 'Spaans'), ('pt', 'Portugees'), ('prs', 'Dari'), ('ps', 'Pasjtoe'), ('ti', 'Tigrinya'), ('so', 'Somalisch'), ('ku', 'Koerdisch'), ('sq', 'Albanees'), ('sgn', 'Vlaamse Gebarentaal'), ('other', 'andere taal')], max_length=8), blank=True, default=list, verbose_name='talen')),
                ('needs', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('housing', 'wonen'), ('health', 'gezondheid'), ('income_debt', 'inkomen & schulden'), ('work', 'werk'), ('education', 'onderwijs'), ('leisure', 'vrije tijd'), ('paperwork', 'administratie'), ('energy', 'energie'), ('food', 'voeding'), ('mobility', 'mobiliteit'), ('social_network', 'sociaal netwerk')], max_length=20), blank=True, default=list, verbose_name='noden')),
                ('referral_source', models.CharField(blank=True, choices=[('ocmw', 'OCMW / sociale dienst'), ('caw', 'CAW'), ('school', 'school'), ('kind_en_gezin', 'Kind en Gezin / Opgroeien'), ('health', 'huisarts of ziekenfonds'), ('organisation', 'andere organisatie'), ('acquaintance', 'via familie, buren of vrienden'), ('self', 'zelf aangeklopt'), ('other', 'anders')], max_length=20, verbose_name='hoe kwam het gezin bij ons?')),
                ('status', models.CharField(choices=[('active', 'actief'), ('paused', 'gepauzeerd'), ('closed', 'afgesloten')], default='active', max_length=10, verbose_name='status')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='afgesloten op')),
                ('close_reason', models.CharField(blank=True, choices=[('no_longer_needed', 'geen ondersteuning meer nodig'), ('moved', 'verhuisd'), ('other_service', 'opgevolgd door een andere dienst'), ('no_contact', 'geen contact meer'), ('family_stopped', 'het gezin wil stoppen'), ('deceased', 'overleden'), ('other', 'andere reden')], max_length=20, verbose_name='reden')),
                ('close_note', models.CharField(blank=True, max_length=300, verbose_name='toelichting')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='aangemaakt op')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='gewijzigd op')),
                ('version', models.PositiveIntegerField(default=1)),
                ('search_name', models.GeneratedField(db_persist=True, expression=models.Func(django.db.models.functions.text.Lower(models.F('display_name')), function='welzijn_unaccent', output_field=models.TextField()), output_field=models.TextField())),
                ('search_compact', models.GeneratedField(db_persist=True, expression=models.Func(models.Func(django.db.models.functions.text.Lower(models.F('display_name')), function='welzijn_unaccent', output_field=models.TextField()), models.Value("[-\\s'’.,/()]"), models.Value(''), models.Value('g'), function='regexp_replace', output_field=models.TextField()), output_field=models.TextField())),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='households', to='groups.group')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'gezin',
                'verbose_name_plural': 'gezinnen',
                'ordering': ['display_name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HouseholdContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groups.group')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='households.household')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddField(
            model_name='household',
            name='contact_volunteers',
            field=models.ManyToManyField(blank=True, related_name='contact_households', through='households.HouseholdContact', to=settings.AUTH_USER_MODEL, verbose_name='contactpersonen'),
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_name', models.CharField(max_length=100, verbose_name='voornaam')),
                ('last_name', models.CharField(blank=True, max_length=100, verbose_name='familienaam')),
                ('birth_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1900)], verbose_name='geboortejaar')),
                ('role', models.CharField(choices=[('adult', 'volwassene'), ('child', 'kind'), ('other', 'andere')], default='adult', max_length=10, verbose_name='rol in het gezin')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='opmerking')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groups.group')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='persons', to='households.household')),
            ],
            options={
                'verbose_name': 'gezinslid',
                'verbose_name_plural': 'gezinsleden',
                'ordering': ['household', 'birth_year', 'first_name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Consent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('given', 'gegeven'), ('withdrawn', 'ingetrokken')], default='given', max_length=10, verbose_name='toestemming')),
                ('date', models.DateField(default=django.utils.timezone.localdate, verbose_name='datum')),
                ('method', models.CharField(choices=[('oral', 'mondeling'), ('written', 'schriftelijk')], default='oral', max_length=10, verbose_name='hoe')),
                ('purpose', models.CharField(default='Gegevens bijhouden om het gezin te ondersteunen en op te volgen.', max_length=300, verbose_name='waarvoor')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groups.group')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='households.household')),
            ],
            options={
                'verbose_name': 'toestemming',
                'verbose_name_plural': 'toestemmingen',
                'ordering': ['-date', '-created_at', '-pk'],
                'indexes': [models.Index(fields=['household', '-date', '-created_at'], name='consent_latest_idx')],
            },
        ),
        migrations.CreateModel(
            name='AccessLogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='wanneer')),
                ('action', models.CharField(choices=[('view', 'bekeken'), ('create', 'aangemaakt'), ('change', 'gewijzigd'), ('close', 'afgesloten'), ('reopen', 'heropend'), ('person_add', 'gezinslid toegevoegd'), ('person_change', 'gezinslid gewijzigd'), ('person_delete', 'gezinslid verwijderd'), ('consent', 'toestemming geregistreerd'), ('print', 'afgedrukt'), ('visit_view', 'contact bekeken'), ('visit_add', 'contact geregistreerd'), ('visit_change', 'contact gewijzigd'), ('visit_delete', 'contact verwijderd'), ('follow_up', 'actiepunt toegevoegd of gewijzigd'), ('signal', 'signaal toegevoegd of gewijzigd'), ('report_view', 'rapport bekeken'), ('export', 'cijfers gedownload'), ('admin_view', 'bekeken in het beheer')], max_length=20, verbose_name='wat')),
                ('fields', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=50), blank=True, default=list, verbose_name='velden')),
                ('person_id', models.BigIntegerField(blank=True, null=True)),
                ('visit_id', models.BigIntegerField(blank=True, null=True)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groups.group')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.household')),
            ],
            options={
                'verbose_name': 'registratie in de toegangslog',
                'verbose_name_plural': 'toegangslog',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['group', '-at'], name='accesslog_group_at_idx'), models.Index(fields=['household', '-at'], name='accesslog_household_at_idx'), models.Index(fields=['group', 'user', '-at'], name='accesslog_group_user_at_idx')],
            },
        ),
        migrations.AddConstraint(
            model_name='householdcontact',
            constraint=models.UniqueConstraint(fields=('household', 'user'), name='household_contact_unique'),
        ),
        migrations.AddIndex(
            model_name='household',
            index=models.Index(fields=['group', 'status'], name='household_group_status_idx'),
        ),
        migrations.AddIndex(
            model_name='household',
            index=models.Index(fields=['group', 'postcode', 'house_number'], name='household_group_address_idx'),
        ),
        migrations.AddIndex(
            model_name='household',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(models.F('search_name'), name='gin_trgm_ops'), name='household_search_name_trgm'),
        ),
        migrations.AddIndex(
            model_name='household',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(models.F('search_compact'), name='gin_trgm_ops'), name='household_search_compact_trgm'),
        ),
        migrations.AddIndex(
            model_name='household',
            index=django.contrib.postgres.indexes.GinIndex(fields=['needs'], name='household_needs_gin'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['group', 'household'], name='person_group_household_idx'),
        ),
        # The access log is append-only: the database refuses UPDATE and DELETE on its rows.
        migrations.RunSQL(
            sql="""
                CREATE OR REPLACE FUNCTION households_accesslog_append_only() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'access log rows cannot be changed or deleted'
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER households_accesslog_append_only
                    BEFORE UPDATE OR DELETE ON households_accesslogentry
                    FOR EACH ROW EXECUTE FUNCTION households_accesslog_append_only();
            """,
            reverse_sql="""
                DROP TRIGGER IF EXISTS households_accesslog_append_only ON households_accesslogentry;
                DROP FUNCTION IF EXISTS households_accesslog_append_only();
            """,
        ),
    ]
