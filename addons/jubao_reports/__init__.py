"Analysis of reports: figures, dashboards, Excel and ODT exports."
