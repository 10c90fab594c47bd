# Total-Text in the layout MMOCR's dataset preparer writes
# (python tools/dataset_converters/prepare_dataset.py totaltext --task textdet in MMOCR),
# read by CheckedOCRDataset: bad annotations and images are reported by name.
totaltext_textdet_data_root = 'data/totaltext'
__totaltext = dict(type='CheckedOCRDataset', data_root=totaltext_textdet_data_root)
totaltext_textdet_train = dict(
    __totaltext, ann_file='textdet_train.json', filter_cfg=dict(filter_empty_gt=True, min_size=32))
totaltext_textdet_test = dict(__totaltext, ann_file='textdet_test.json', test_mode=True)
