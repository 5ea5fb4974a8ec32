import { z } from 'zod';
import { idParam } from '../http/params.js';

export const TeamFilterQuery = z.object({ team: idParam().optional() });

export const UnitIdParams = z.object({ id: idParam() });
