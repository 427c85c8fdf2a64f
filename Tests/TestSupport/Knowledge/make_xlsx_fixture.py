#!/usr/bin/env python3
"""Writes .xlsx fixtures for the knowledge importer tests with an independent writer (openpyxl, or
Python's zipfile for parts openpyxl cannot produce: cached formula values, inline strings, 1904 dates).

usage: make_xlsx_fixture.py SCENARIO OUTPUT.xlsx
       make_xlsx_fixture.py large|large-shared OUTPUT.xlsx ROWS
"""
import re
import sys
import zipfile

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont


def portuguese(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Jobs"
    ws["A1"] = "Base de conhecimento — Operações Batch"
    ws.merge_cells("A1:J1")
    # Row 2 is blank on purpose; the header is row 3, with "Contato" merged over two columns.
    headers = ["Nome do Job", "Fluxo", "Código de Erro", "Descrição", "Procedimento", "Responsável",
               "Contato", None, "Documentação", "Criticidade", "Atualizado em", "Observação"]
    for column, header in enumerate(headers, start=1):
        if header:
            ws.cell(row=3, column=column, value=header)
    ws.merge_cells("G3:H3")
    rows = [
        ["PAYROLL_FINAL", "FOLHA_MENSAL", "RC=12", "Falha na execução da FOLHA DE PAGAMENTO final",
         "1. Verifique o arquivo de entrada\n2. Reexecute o passo STEP03", None,
         "(11) 4000-1234", "folha@example.com", "https://wiki.example.com/folha", "Alta", None, "revisar"],
        None,
        ["PAYROLL_*", None, None, "Qualquer job da folha de pagamento",
         "Acione o plantão da folha", "Equipe Folha", "plantao-folha@example.com", None, None, "Média", None, None],
        ["ETL_SALES_LOAD", "ETL_DIARIO", "ABEND S0C4", "Erro de proteção de memória no carregamento de vendas",
         "Reprocessar a partição do dia", "Equipe Dados", "dados@example.com", None, None, "Alta", None, None],
        None,
        None,
        ["BKP_DB_DAILY", None, "0012", "Backup diário do banco de dados",
         "Verifique espaço em disco no servidor de backup", "Equipe DBA", "dba@example.com", None, None, "Baixa",
         None, None],
        ["JOB B", None, None, "Nome de job inválido", "Nada", "Equipe X", None, None, None, None, None, None],
        [None, None, None, None, None, "Só dono", None, None, None, None, None, None],
    ]
    for offset, values in enumerate(rows):
        if values is None:
            continue
        for column, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=4 + offset, column=column, value=value)
    # Responsável of the first row is a formula; its cached value is written below (openpyxl writes none).
    ws["F4"] = '="Equipe "&"Folha"'
    import datetime
    ws["K4"] = datetime.date(2024, 3, 1)
    ws["K4"].number_format = "dd/mm/yyyy"
    # Rich text in a shared string.
    ws["D13"] = CellRichText(["Falha ", TextBlock(InlineFont(b=True), "crítica"), " no fechamento"])
    ws["A13"] = "FINAL_BATCH_PAYROLL"
    ws["E13"] = "Confirme o término de PAYROLL_FINAL antes de reexecutar"
    # A phone number typed as a number, and an error code stored as a number.
    ws["A14"] = "JOB_B"
    ws["C14"] = 8
    ws["D14"] = "Falha intermitente de rede"
    ws["G14"] = 11999990000

    general = wb.create_sheet("Geral")
    general.append(["Title", "Description", "Steps", "Owner", "Severity"])
    general.append(["Como reiniciar o agente", "Agente HWA parado no servidor", "Execute o script de start",
                    "Infra", "Alta"])
    general.append([None, None, None, None, None])
    general.append(["Escalation policy", "Who to call at night", "Call the on-call manager", "Ops", "Low"])

    notes = wb.create_sheet("Notas")
    notes.append(["apenas anotações soltas"])
    notes.append(["sem cabeçalho"])
    wb.save(path)
    add_cached_values(path, "xl/worksheets/sheet1.xml", {"F4": "Equipe Folha"})


def english(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KB"
    ws.append(["Job Name", "Job Stream", "Workstation", "Return Code", "Description", "Resolution", "Owner",
               "On-call", "Runbook", "Severity", "Notes"])
    ws.append(["BILLING_*", "BILLING_NIGHT", "CPU_BILL", "RC 8", "Billing jobs fail when the ledger is locked",
               "Unlock the ledger and rerun", "Billing team", "billing@example.com",
               "https://wiki.example.com/billing https://runbooks.example.com/b", "High", "seen twice in 2024"])
    ws.append(["/FINANCE/CLOSE_@", None, None, None, "Finance close jobs in the FINANCE folder",
               "Check the finance calendar", "Finance", None, None, "Medium", None])
    ws.append(["JOB_?", None, None, None, "Generic single-letter jobs", "Ask the batch team", "Batch", None, None,
               None, None])
    ws.append([None, "ETL_DIARIO", None, None, "The daily ETL stream", "Check the ETL dashboard", "Data", None,
               None, None, None])
    ws.append([None, None, "CPU_DB01", None, "Database agent host", "Restart the agent service", "DBA", None,
               None, None, None])
    wb.save(path)


def add_cached_values(path, part, values):
    """Rewrites formula cells of `part` with a cached string value, as Excel would have saved them."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                text = data.decode("utf-8")
                for ref, value in values.items():
                    pattern = re.compile(r'<c r="%s"([^>]*)><f>(.*?)</f>(<v\s*/>|<v></v>)?</c>' % ref)
                    text, count = pattern.subn(
                        lambda m: '<c r="%s"%s t="str"><f>%s</f><v>%s</v></c>' % (ref, m.group(1), m.group(2), value),
                        text)
                    assert count == 1, "formula cell %s not found" % ref
                data = text.encode("utf-8")
            target.writestr(info, data)


def handmade(path):
    """A workbook written part by part: 1904 dates, inline strings, booleans, rich and phonetic shared
    strings, prefixed element names and cells without references."""
    write_parts(path, handmade_parts())


def malformed(path):
    """The handmade workbook whose sheet closes a row inside an open cell on its third line."""
    parts = handmade_parts()
    parts["xl/worksheets/sheet1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\n'
        '<row r="1"><c r="A1" t="s"><v>0</v></row>\n'
        '</sheetData></worksheet>')
    write_parts(path, parts)


def write_parts(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))


def handmade_parts():
    return {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Plantão" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><x:si><x:t>Job</x:t></x:si><x:si><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">Solução </x:t></x:r><x:r><x:t>rápida</x:t></x:r></x:si><x:si><x:t>Ação</x:t><x:rPh sb="0" eb="1"><x:t>アクション</x:t></x:rPh></x:si></x:sst>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd&quot; at &quot;hh:mm"/></x:numFmts><x:cellStyleXfs count="1"><x:xf numFmtId="0"/></x:cellStyleXfs><x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="14"/><x:xf numFmtId="164"/></x:cellXfs></x:styleSheet>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Descrição</x:t></x:is></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c><x:c r="D1" t="inlineStr"><x:is><x:t>Revisado</x:t></x:is></x:c><x:c r="E1" t="inlineStr"><x:is><x:t>Desde</x:t></x:is></x:c><x:c r="F1" t="inlineStr"><x:is><x:t>Quando</x:t></x:is></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>JOB_A</x:t></x:is></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>Reinicie </x:t></x:r><x:r><x:t>o agente</x:t></x:r></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c s="1"><x:v>0</x:v></x:c><x:c s="2"><x:v>43831.75</x:v></x:c></x:row>'
        '</x:sheetData></x:worksheet>',
    }


def corrupt(path):
    """A real workbook cut in half, as a copy interrupted mid-way leaves it."""
    portuguese(path)
    with open(path, "rb") as source:
        data = source.read()
    with open(path, "wb") as target:
        target.write(data[: len(data) // 2])


def large(path, rows, shared_strings=False):
    """A write-only workbook with `rows` job rows, for benchmarks and large-import tests. openpyxl writes
    inline strings; with `shared_strings` they are moved to a shared strings part afterwards, as Excel
    stores them."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Jobs")
    ws.append(["Job", "Fluxo", "Código de erro", "Descrição", "Procedimento", "Responsável", "Contato",
               "Documentação", "Criticidade"])
    for index in range(rows):
        ws.append(["JOB_%06d" % index, "STREAM_%03d" % (index % 500), "RC=%d" % (index % 16),
                   "Falha na execução do job %d ao processar o lote de faturamento" % index,
                   "Verifique o log do passo %d e reexecute após corrigir a entrada" % (index % 7),
                   "Equipe %d" % (index % 40), "equipe%d@example.com" % (index % 40),
                   "https://wiki.example.com/jobs/%d" % index, ["Alta", "Média", "Baixa"][index % 3]])
    wb.save(path)
    if shared_strings:
        move_to_shared_strings(path, "xl/worksheets/sheet1.xml")


def move_to_shared_strings(path, part):
    """Rewrites the inline strings of `part` as indexes into a new xl/sharedStrings.xml (each text once)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    table = {}

    def index(match):
        text = match.group(2)
        number = table.setdefault(text, len(table))
        return '<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), number)

    inline = re.compile(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>(.*?)</t></is></c>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                data = inline.sub(index, data.decode("utf-8")).encode("utf-8")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdShared" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
                                    b'+xml"/></Types>')
            target.writestr(info, data)
        items = "".join("<si><t>%s</t></si>" % text for text in table)
        target.writestr("xl/sharedStrings.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org'
            '/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>' % (len(table), len(table), items)
        ).encode("utf-8"))


if __name__ == "__main__":
    scenario, output = sys.argv[1], sys.argv[2]
    if scenario in ("large", "large-shared"):
        large(output, int(sys.argv[3]), shared_strings=scenario == "large-shared")
    else:
        {"pt": portuguese, "en": english, "handmade": handmade, "malformed": malformed,
         "corrupt": corrupt}[scenario](output)
